import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { groupsPage, incidentsPage, incidentView } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';
import { VIEW_QUERY, viewReader } from './view-query.ts';
import { idParams, route } from '../contract/common.ts';
import type { Answer } from '../contract/documents.ts';
import { groupsAnswer, incidentAnswer, incidentsAnswer } from '../contract/views.ts';

const tags = ['public'];

/**
 * The incident ledger (issue 17, "Incidents, public"): incidents with their figures and each
 * request's status, one incident with a page of its requests, and the groups named by them
 * with the figures over their incidents. Like every public view, each states the log size and
 * the instant it was computed at, and lists come a page at a time, at most 200 items.
 */
export function registerIncidentRoutes(app: FastifyInstance, options: { sequencer: Sequencer; publisher: CheckpointPublisher; now: () => number }): void {
  const view = viewReader(options);
  const querystring = z.object(VIEW_QUERY);
  app.get('/v1/incidents', { schema: route({ tags, summary: 'Registered incidents in order of registration, each with its figures per pair of parties and its first requests with their status, a page at a time', querystring, response: { 200: incidentsAnswer } }) }, async (request): Promise<Answer<typeof incidentsAnswer>> =>
    incidentsPage(await view.state(request), view.at(request), view.from(request), view.limit(request)),
  );
  app.get('/v1/incidents/:id', { schema: route({ tags, summary: "One incident: its public record, its figures, and a page of its requests with their status (the cursor pages the incident's requests)", params: idParams, querystring, response: { 200: incidentAnswer } }) }, async (request): Promise<Answer<typeof incidentAnswer>> => {
    const { id } = request.params as { id: string };
    const found = incidentView(await view.state(request), id, view.at(request), view.from(request), view.limit(request));
    if (!found) throw new ServiceError('INCIDENT_UNKNOWN', `no incident ${id}`);
    return found;
  });
  app.get('/v1/groups', { schema: route({ tags, summary: 'Criminal groups named by incidents, in order of first naming, each with its incidents and the figures over their requests, a page at a time', querystring, response: { 200: groupsAnswer } }) }, async (request): Promise<Answer<typeof groupsAnswer>> =>
    groupsPage(await view.state(request), view.at(request), view.from(request), view.limit(request)),
  );
}
