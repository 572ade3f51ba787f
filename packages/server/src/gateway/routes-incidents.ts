import type { FastifyInstance } from 'fastify';
import { ACT_ROLES, entryBodySchemas, getIncident, incidentAt, PAGE_LIMIT } from '@evenhand/core';
import { z } from 'zod';
import { route, wholeQuery } from '../contract/common.ts';
import { checkedByCore } from '../contract/docs.ts';
import { requireRole } from '../auth/sessions.ts';
import { ServiceError } from '../errors.ts';
import { objectBody, type GatewayContext } from './context.ts';
import { submitEntry } from './submit-entry.ts';

const tags = ['incidents'];

/**
 * The incidents registered in the log (issue 17), for the console: the filing form's incident
 * selector and the requests list's filter read them, and a clerk registers one. Every field of
 * an incident is public, so nothing is sealed and no official is named in the entry: the
 * gateway's own submissions table records who registered it.
 */
export function registerIncidentRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.get(
    '/api/incidents',
    {
      preHandler: app.authenticate,
      schema: route({
        tags,
        summary: "Incidents registered in the log, in order of registration, from the gateway's own replay, a page at a time",
        querystring: z.strictObject({ after: z.string().regex(/^[0-9]{0,9}$/).optional(), limit: wholeQuery(1, PAGE_LIMIT).optional() }),
        response: {
          200: z.strictObject({
            total: z.number().int(),
            items: z.array(z.strictObject({ id: z.string(), name: z.string(), date: z.string(), sector: z.string(), description: z.string(), group: z.string().nullable(), registeredBy: z.string(), requestCount: z.number().int() })),
            next: z.string().nullable(),
          }),
        },
      }),
    },
    async (request) => {
      const query = request.query as { after?: string; limit?: number };
      const book = context.mirror.state.incidents;
      const from = Number.parseInt(query.after || '0', 10);
      const end = Math.min(book.byId.size, from + (query.limit ?? PAGE_LIMIT));
      const items = [];
      for (let position = from; position < end; position++) {
        const incident = incidentAt(book, position);
        if (incident) items.push({ id: incident.id, name: incident.name, date: incident.date, sector: incident.sector, description: incident.description, group: incident.group ?? null, registeredBy: incident.registeredBy, requestCount: incident.requestCount });
      }
      return { total: book.byId.size, items, next: end < book.byId.size ? String(end) : null };
    },
  );

  app.post('/api/incidents', { preHandler: [app.authenticate, requireRole(...ACT_ROLES['incident.register'])], schema: route({ tags, summary: 'Register an incident (an incident.register body: public id, name, date, sector, description, and the group if publicly named)', body: checkedByCore(entryBodySchemas['incident.register']), response: { 201: z.strictObject({ index: z.number().int(), incident: z.string(), visible: z.boolean() }) } }) }, async (request, reply) => {
    const body = objectBody(request.body);
    const known = typeof body.incident === 'string' ? getIncident(context.mirror.state.incidents, body.incident) : undefined;
    if (known) throw new ServiceError('INCIDENT_EXISTS', `body.incident: incident ${known.id} was registered already, by ${known.registeredBy}; an id is never reused`, 'body.incident');
    const submitted = await submitEntry(context, 'incident.register', body, context.now(), [], request.official!.username);
    return reply.status(201).send({ index: submitted.index, incident: body.incident, visible: await context.waitForMirror(submitted.index, 5_000) });
  });
}
