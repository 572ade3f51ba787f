import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DEADLINE_PAGE_DEFAULT, deadlinesPage, denunciationViews, PAGE_LIMIT, type DeadlineFilter, getRequest, isoTime, publicRequest, requestsPage, statisticsView, summarizeRequest, tradesPage, type DataRequestFigures } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import type { CheckpointPublisher } from './publisher.ts';
import type { Sequencer } from './sequencer.ts';
import { VIEW_QUERY, viewReader } from './view-query.ts';
import { idParams, jsonOrCsvAnswer, route } from '../contract/common.ts';
import type { Answer } from '../contract/documents.ts';
import { deadlineFilterQuery, deadlinesAnswer, publicRequestAnswer, requestsAnswer, statisticsAnswer, tradesAnswer, treatyAnswer } from '../contract/views.ts';

/**
 * The public views (DESIGN.md "derived public views"), each stating the log size it was
 * computed at (issue 12): `?size=N` serves it at any size up to the head, so that a gateway
 * or `verify` recomputes it from its own replay at exactly that size and compares, and the
 * time-bound ones state their instant (`?at=T`, the exchange's clock by default). Without
 * `size`, a view is computed at the latest witnessed checkpoint, never at unwitnessed entries.
 */
export function registerViewRoutes(app: FastifyInstance, options: { sequencer: Sequencer; publisher: CheckpointPublisher; now: () => number }): void {
  const reader = viewReader(options);
  const sizeQuery = { size: VIEW_QUERY.size };
  const atQuery = { at: VIEW_QUERY.at };
  const pageQuery = { after: VIEW_QUERY.after, limit: VIEW_QUERY.limit };
  // Unknown parameters are dropped, not refused, as Fastify's validator did before.
  const formatQuery = { format: z.enum(['json', 'csv']).optional().describe('csv for a spreadsheet (one row per item), json by default') };
  const { state: stateOf, at: atOf, from: fromOf } = reader;

  app.get('/v1/requests', { schema: route({ tags: ['public'], summary: 'Requests, public fields only, a page at a time in filing order, at a stated log size', querystring: z.object({ ...sizeQuery, ...pageQuery }), response: { 200: requestsAnswer } }) }, async (request): Promise<Answer<typeof requestsAnswer>> =>
    requestsPage(await stateOf(request), fromOf(request), reader.limit(request)),
  );
  app.get('/v1/requests/:id', { schema: route({ tags: ['public'], summary: 'One request, public fields only', params: idParams, querystring: z.object(sizeQuery), response: { 200: publicRequestAnswer } }) }, async (request): Promise<Answer<typeof publicRequestAnswer>> => {
    const { id } = request.params as { id: string };
    const state = await stateOf(request);
    const record = getRequest(state, id);
    if (!record) throw new ServiceError('REQUEST_UNKNOWN', `no request ${id}`);
    return { size: state.size, ...publicRequest(summarizeRequest(state, record)) };
  });
  app.get('/v1/trades', { schema: route({ tags: ['public'], summary: 'Trades, public fields only, a page at a time in order of proposal, at a stated log size', querystring: z.object({ ...sizeQuery, ...pageQuery }), response: { 200: tradesAnswer } }) }, async (request): Promise<Answer<typeof tradesAnswer>> =>
    tradesPage(await stateOf(request), fromOf(request), reader.limit(request)),
  );
  app.get('/v1/statistics', { schema: route({ tags: ['public'], summary: 'Statistics per pair of parties, recomputed from the log at a stated size and instant', querystring: z.object({ ...sizeQuery, ...atQuery, ...formatQuery }), response: { 200: jsonOrCsvAnswer('the statistics; with ?format=csv one row per pair, with the size and instant on each', statisticsAnswer) } }) }, async (request, reply): Promise<Answer<typeof statisticsAnswer> | FastifyReply> => {
    const view = statisticsView(await stateOf(request), atOf(request));
    if ((request.query as { format?: string }).format !== 'csv') return view;
    return sendCsv(reply, `evenhand-statistics-${view.size}.csv`, STATISTICS_COLUMNS, view.pairs.map((pair) => ({ ...pair, ...dataColumns(pair.dataRequests), refusedByGround: groundsCell(pair.refusedByGround), size: view.size, at: isoTime(view.at) })));
  });
  // A page of the obligations, filtered on the server (issue 14). The CSV is the same page, its
  // `next` in a Link header (RFC 8288), since a CSV body has no room for it.
  app.get('/v1/deadlines', { schema: route({ tags: ['public'], summary: 'Open obligations of requests and trades with their due dates, soonest first, at a stated size and instant, filtered and a page at a time (pin `size` and `at` from the first page to read the rest)', querystring: z.object({ ...sizeQuery, ...atQuery, ...pageQuery, ...deadlineFilterQuery, ...formatQuery }), response: { 200: jsonOrCsvAnswer(`a page of the open obligations (${DEADLINE_PAGE_DEFAULT} by default, at most ${PAGE_LIMIT}); with ?format=csv one row per obligation, and the next page in the Link header`, deadlinesAnswer) } }) }, async (request, reply): Promise<Answer<typeof deadlinesAnswer> | FastifyReply> => {
    const state = await stateOf(request);
    const { owedBy, party, overdue, kind, request: target, trade } = request.query as DeadlineFilter;
    const view = deadlinesPage(state, atOf(request), { owedBy, party, overdue, kind, request: target, trade }, fromOf(request), reader.limit(request));
    if ((request.query as { format?: string }).format !== 'csv') return view;
    if (view.next !== null) reply.header('link', `<${nextPageUrl(request.url, view)}>; rel="next"`);
    return sendCsv(reply, `evenhand-obligations-${view.size}.csv`, DEADLINE_COLUMNS, view.items.map((item) => ({
      ...item,
      target: 'request' in item ? item.request : item.trade,
      due: isoTime(item.due),
      daysOverdue: item.overdue ? Math.floor((view.at - item.due) / 86_400) : 0,
      // Requests for data run in hours (issue 17): an emergency is hours overdue long before a day.
      hoursOverdue: item.overdue ? Math.floor((view.at - item.due) / 3_600) : 0,
    })));
  });
  app.get('/v1/treaty', { schema: route({ tags: ['public'], summary: 'The treaty in force at a stated log size: parties, offences and grounds with their titles in English and Russian, rules, deadlines, and the denunciations notified, pending or in effect at that size', querystring: z.object(sizeQuery), response: { 200: treatyAnswer } }) }, async (request): Promise<Answer<typeof treatyAnswer>> => {
    const state = await stateOf(request);
    return { size: state.size, treaty: state.treaty ?? null, denunciations: denunciationViews(state) };
  });
}

const STATISTICS_COLUMNS = ['size', 'at', 'requesting', 'requested', 'filed', 'acknowledged', 'acknowledgedOnTime', 'decided', 'decidedOnTime', 'pending', 'unansweredPastDeadline', 'unacknowledgedPastDeadline', 'granted', 'grantedConditional', 'refused', 'refusedByGround', 'surrendered', 'withdrawn', 'provisionalArrests', 'prosecutionsOwed', 'prosecutionsOpened', 'prosecutionsReported', 'prosecutionReportsOverdue', 'medianDaysToDecision', 'medianDaysToDecisionWithPending', 'tradeBreaches', 'tradeReceiptsUnconfirmed', 'dataFiled', 'dataDecidedOnTime', 'dataGranted', 'dataRefused', 'dataRefusedByGround', 'dataProvided', 'dataProvidedOnTime', 'dataPending', 'dataUnansweredPastDeadline', 'dataUndeliveredPastDeadline'];

/** Refusals by ground in one cell: "nationality:2 political-offence:1". */
function groundsCell(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).map(([ground, count]) => `${ground}:${count}`).join(' ');
}

/** The figures of requests for data (issue 17) as columns of their own, beside those for persons. */
function dataColumns(data: DataRequestFigures): Record<string, unknown> {
  return {
    dataFiled: data.filed,
    dataDecidedOnTime: data.decidedOnTime,
    dataGranted: data.granted,
    dataRefused: data.refused,
    dataRefusedByGround: groundsCell(data.refusedByGround),
    dataProvided: data.provided,
    dataProvidedOnTime: data.providedOnTime,
    dataPending: data.pending,
    dataUnansweredPastDeadline: data.unansweredPastDeadline,
    dataUndeliveredPastDeadline: data.undeliveredPastDeadline,
  };
}
const DEADLINE_COLUMNS = ['target', 'party', 'kind', 'leg', 'due', 'overdue', 'daysOverdue', 'hoursOverdue', 'requesting', 'requested', 'article'];

/** The same query with the size, instant and cursor of the page that follows, so the rest reads the same list. */
function nextPageUrl(url: string, page: { readonly size: number; readonly at: number; readonly next: string | null }): string {
  const parsed = new URL(url, 'http://localhost');
  parsed.searchParams.set('size', String(page.size));
  parsed.searchParams.set('at', String(page.at));
  parsed.searchParams.set('after', page.next ?? '');
  return `${parsed.pathname}${parsed.search}`;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function sendCsv(reply: FastifyReply, filename: string, columns: readonly string[], rows: readonly Record<string, unknown>[]) {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(','))];
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(`${lines.join('\r\n')}\r\n`);
}
