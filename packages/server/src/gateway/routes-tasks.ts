import type { FastifyInstance } from 'fastify';
import { actsDischarging, deadlinesView, mapGet, requestAt, rolesFor, skewOf, type Deadline, type OfficialRole, type State, type TradeDeadline } from '@evenhand/core';
import type { GatewayContext } from './context.ts';
import { z } from 'zod';
import { countQuery, route } from '../contract/common.ts';
import { roleSchema } from '../contract/console.ts';

/** One obligation open now on a request or trade of this state, as the inbox lists it. */
export interface Task {
  readonly target: 'request' | 'trade';
  readonly id: string;
  readonly kind: string;
  /** The party that owes the act. */
  readonly party: string;
  readonly due: number;
  readonly overdue: boolean;
  readonly pausedSince?: number;
  readonly leg?: number;
  readonly article: string;
  /** The act that discharges it (core `actsDischarging`), and whether this official's role takes it. */
  readonly act: string | null;
  readonly actRoles: readonly OfficialRole[];
  readonly mine: boolean;
  /** An emergency request for data (Second Additional Protocol arts. 9-10): listed first, counted down in hours. */
  readonly emergency?: true;
}

const taskSchema = z.strictObject({
  target: z.enum(['request', 'trade']),
  id: z.string(),
  kind: z.string(),
  party: z.string(),
  due: z.number().int(),
  overdue: z.boolean(),
  pausedSince: z.number().int().optional(),
  leg: z.number().int().optional(),
  article: z.string(),
  act: z.string().nullable(),
  actRoles: z.array(roleSchema),
  mine: z.boolean(),
  emergency: z.literal(true).optional(),
}) satisfies z.ZodType<Task>;

/** New incoming requests listed with their count at most this many. */
const NEW_LISTED = 20;
/**
 * Each side of the inbox lists at most this many obligations, the most urgent, with the count
 * of all; the requests list, filtered by who owes, pages through the rest. A page of the inbox
 * then stays the same size however many requests the state has.
 */
const TASKS_LISTED = 50;

function taskOf(state: State, item: Deadline | TradeDeadline, role: OfficialRole): Task {
  const act = actsDischarging(item.kind)[0] ?? null;
  const actRoles = act ? rolesFor(act) : [];
  const base = { kind: item.kind, party: item.party, due: item.due, overdue: item.overdue, article: item.article, act, actRoles, mine: actRoles.includes(role) };
  if ('request' in item) {
    return { target: 'request', id: item.request, ...base, ...(item.pausedSince === undefined ? {} : { pausedSince: item.pausedSince }), ...(isEmergency(state, item) ? { emergency: true as const } : {}) };
  }
  return { target: 'trade', id: item.trade, ...base, ...(item.leg === undefined ? {} : { leg: item.leg }) };
}

/** The obligations of an emergency that run in its hours; its later duties (erasure, years on) are ordinary. */
const EMERGENCY_OBLIGATIONS: ReadonlySet<string> = new Set(['acknowledge', 'decide', 'reply-to-info-request', 'provide']);

function isEmergency(state: State, item: Deadline | TradeDeadline): boolean {
  return 'request' in item && EMERGENCY_OBLIGATIONS.has(item.kind) && mapGet(state.requests, item.request)?.view.kind === 'emergency-disclosure';
}

/**
 * Emergencies first (issue 17: they reach the 24/7 contact point and run in hours), then the
 * soonest due; the order within each is the deadlines view's (soonest first).
 */
function emergenciesFirst<T extends Deadline | TradeDeadline>(state: State, items: readonly T[]): T[] {
  return [...items.filter((item) => isEmergency(state, item)), ...items.filter((item) => !isEmergency(state, item))];
}

/** Whether this state is a party to the request or trade of an obligation. */
function concerns(state: State, party: string, item: Deadline | TradeDeadline): boolean {
  if ('request' in item) return item.requesting === party || item.requested === party;
  return mapGet(state.trades.byId, item.trade)?.parties.includes(party) ?? false;
}

/**
 * Incoming requests filed after `since`, newest first: requests are kept in filing order and
 * entry times never go back beyond the treaty's skew (log time-rules.ts), so the walk stops at
 * the first older one and costs the new ones, not the whole log.
 */
function newIncoming(state: State, party: string, since: number, skew: number): { count: number; ids: string[] } {
  const ids: string[] = [];
  let count = 0;
  for (let position = state.requestIds.size - 1; position >= 0; position--) {
    const record = requestAt(state, position);
    if (!record) continue;
    if (record.view.filedAt <= since - skew) break;
    if (record.view.filedAt <= since || record.view.requested !== party) continue;
    count += 1;
    if (ids.length < NEW_LISTED) ids.push(record.id);
  }
  return { count, ids };
}

/**
 * The official's inbox (issue 15): what this state owes now, most urgent first, apart from
 * what the other side owes it, each with the act that discharges it and whether the
 * official's role takes that act; and the incoming requests filed since `since` (the last
 * visit, which the console keeps).
 */
export function registerTaskRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.get(
    '/api/tasks',
    {
      preHandler: app.authenticate,
      schema: route({
        tags: ['requests'],
        summary: 'What this state owes now and what it is owed, soonest first (the first 50 of each, with the count of all), with the act that discharges each; and the incoming requests filed since `since`',
        querystring: z.strictObject({ since: countQuery.optional().describe('the instant of the last visit (Unix seconds)') }),
        response: {
          200: z.strictObject({
            now: z.number().int(),
            size: z.number().int(),
            owedByUs: z.array(taskSchema),
            owedByUsTotal: z.number().int(),
            owedToUs: z.array(taskSchema),
            owedToUsTotal: z.number().int(),
            newIncoming: z.strictObject({ count: z.number().int(), ids: z.array(z.string()) }),
          }),
        },
      }),
    },
    async (request) => {
      const state = context.mirror.state;
      const now = context.now();
      const role = request.official!.role as OfficialRole;
      const open = deadlinesView(state, now).items.filter((item) => concerns(state, context.party, item));
      const ours = emergenciesFirst(state, open.filter((item) => item.party === context.party));
      const theirs = emergenciesFirst(state, open.filter((item) => item.party !== context.party));
      const since = (request.query as { since?: number }).since;
      return {
        now,
        size: state.size,
        owedByUs: ours.slice(0, TASKS_LISTED).map((item) => taskOf(state, item, role)),
        owedByUsTotal: ours.length,
        owedToUs: theirs.slice(0, TASKS_LISTED).map((item) => taskOf(state, item, role)),
        owedToUsTotal: theirs.length,
        newIncoming: since === undefined ? { count: 0, ids: [] } : newIncoming(state, context.party, since, skewOf(state.treaty)),
      };
    },
  );
}
