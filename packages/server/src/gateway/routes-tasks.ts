import type { FastifyInstance } from 'fastify';
import { actsDischarging, obligationCounts, rolesFor, skewOf, type Deadline, type OfficialRole, type State, type TradeDeadline } from '@evenhand/core';
import { isEmergency, mostUrgent, newIncoming } from './inbox-tasks.ts';
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

function taskOf(state: State, item: Deadline | TradeDeadline, role: OfficialRole): Task {
  const act = actsDischarging(item.kind)[0] ?? null;
  const actRoles = act ? rolesFor(act) : [];
  const base = { kind: item.kind, party: item.party, due: item.due, overdue: item.overdue, article: item.article, act, actRoles, mine: actRoles.includes(role) };
  if ('request' in item) {
    return { target: 'request', id: item.request, ...base, ...(item.pausedSince === undefined ? {} : { pausedSince: item.pausedSince }), ...(isEmergency(state, item) ? { emergency: true as const } : {}) };
  }
  return { target: 'trade', id: item.trade, ...base, ...(item.leg === undefined ? {} : { leg: item.leg }) };
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
            newIncoming: z.strictObject({ count: z.number().int(), ids: z.array(z.string()), atLeast: z.literal(true).optional().describe('the count is a lower bound: `since` was so long ago that not every request since was examined') }),
          }),
        },
      }),
    },
    async (request) => {
      const state = context.mirror.state;
      const now = context.now();
      const role = request.official!.role as OfficialRole;
      const counts = obligationCounts(state, context.party);
      const since = (request.query as { since?: number }).since;
      return {
        now,
        size: state.size,
        owedByUs: mostUrgent(state, now, context.party, true).map((item) => taskOf(state, item, role)),
        owedByUsTotal: counts.owes,
        owedToUs: mostUrgent(state, now, context.party, false).map((item) => taskOf(state, item, role)),
        owedToUsTotal: counts.owed,
        newIncoming: since === undefined ? { count: 0, ids: [] } : newIncoming(state, context.party, since, skewOf(state.treaty)),
      };
    },
  );
}
