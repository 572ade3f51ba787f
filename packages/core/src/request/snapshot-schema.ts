import { z } from 'zod';
import { evidenceTermsSchema, treatySchema } from '../treaty/schema.ts';
import { entryTypes, factsSchema, REQUEST_RELATIONS, type EntryType } from './entries.ts';
import { INCIDENT_SECTORS } from '../incidents/sectors.ts';
import type { DecisionKind, ProsecutionMilestone, RequestStatus } from './state.ts';
import type { TradeStatus } from '../trade/lifecycle/trade-state.ts';
import type { StateMapPath } from './state-map-paths.ts';

/**
 * The shape of a state snapshot (issue 14, "a snapshot is data, never trusted code"): plain
 * JSON, every persistent map as a list of [key, value] pairs, every record checked field by
 * field. A snapshot is read back from a database, so it is input like any other: whatever
 * does not have exactly this shape is refused, and the caller replays the log instead.
 *
 * The enumerations are written as records over the core's own union types, so that adding a
 * status to the core without adding it here fails to compile rather than refusing snapshots.
 */

const REQUEST_STATUSES: Record<RequestStatus, true> = {
  filed: true, acknowledged: true, 'info-requested': true, 'info-supplied': true, granted: true, 'granted-conditional': true,
  refused: true, 'refused-prosecute-instead': true, 'surrender-scheduled': true, surrendered: true, received: true,
  'outcome-reported': true, withdrawn: true, superseded: true, preserved: true, provided: true,
};
const DECISION_KINDS: Record<DecisionKind, true> = { grant: true, 'grant-conditional': true, refuse: true, 'refuse-prosecute': true };
const MILESTONES: Record<ProsecutionMilestone, true> = { opened: true, charged: true, tried: true, verdict: true, sentence: true, progress: true };
const TRADE_STATUSES: Record<TradeStatus, true> = { proposed: true, committed: true, completed: true, aborted: true, 'receipt-unconfirmed': true };

const keysOf = <K extends string>(record: Record<K, true>) => Object.keys(record) as [K, ...K[]];

/** Entry times and other instants: whole seconds within what `apply` accepts (apply.ts checkEnvelope). */
const unix = z.int().min(0).max(253_402_300_799);
/** A log index or a count. */
const index = z.int().min(0);
const text = z.string();
const entryType = z.enum(entryTypes as [EntryType, ...EntryType[]]);
/** A persistent map as stored: its pairs, in any order (decoding refuses a key given twice). */
const pairs = <T extends z.ZodType>(value: T) => z.array(z.tuple([text, value]));
const credits = z.record(text, z.number().finite());

const historyItem = z.strictObject({ index, type: entryType, time: unix, author: text });

const requestView = z.strictObject({
  requesting: text,
  requested: text,
  kind: text,
  // The treaty's terms for a kind of request for data, copied at filing: treaty data, checked with the treaty's own schema.
  terms: evidenceTermsSchema.optional(),
  purpose: z.enum(['prosecution', 'enforcement']),
  subject: z.strictObject({ nationalities: z.array(text), ageAtOffence: z.number().finite() }),
  offences: z.array(text),
  offenceDate: text,
  sentenceRemainingMonths: z.number().finite().optional(),
  facts: factsSchema,
  filedAt: unix,
});

const requestRecord = z.strictObject({
  id: text,
  seq: index,
  view: requestView,
  pseudonym: text,
  follows: text.optional(),
  supersededBy: text.optional(),
  status: z.enum(keysOf(REQUEST_STATUSES)),
  history: z.array(historyItem),
  acknowledgedAt: unix.optional(),
  arrestedAt: unix.optional(),
  consentAt: unix.optional(),
  extendedAt: unix.optional(),
  infoAskedAt: unix.optional(),
  infoPauses: z.array(z.strictObject({ from: unix, to: unix })),
  consultations: z.array(z.strictObject({ ground: text, at: unix, repliedAt: unix.optional() })),
  decision: z
    .strictObject({
      kind: z.enum(keysOf(DECISION_KINDS)),
      at: unix,
      ground: text.optional(),
      assurances: z.array(text),
      onReciprocity: z.boolean(),
      approvers: z.array(text),
    })
    .optional(),
  assurancesGiven: z.array(text),
  readyAt: unix.optional(),
  surrenderDate: text.optional(),
  surrenderedAt: unix.optional(),
  receivedAt: unix.optional(),
  withdrawnAt: unix.optional(),
  preservedUntil: unix.optional(),
  providedAt: unix.optional(),
  provided: z.array(text).optional(),
  prosecution: z
    .strictObject({
      milestones: z.array(z.strictObject({ milestone: z.enum(keysOf(MILESTONES)), at: unix })),
      lastReportAt: unix,
      outcome: z.strictObject({ outcome: z.enum(['convicted', 'acquitted', 'discontinued']), sentenceMonths: z.number().finite().optional(), at: unix }).optional(),
    })
    .optional(),
  endedAt: unix.optional(),
  erasedBy: z.array(text).optional(),
});

const tradeLeg = z.strictObject({
  kind: z.enum(['request', 'voluntary']),
  request: text.optional(),
  from: text,
  to: text,
  subject: text,
  reason: z.enum(['pardon', 'family', 'other']).optional(),
  weight: z.number().finite(),
  attestedAt: unix.optional(),
  surrenderedAt: unix.optional(),
  receivedAt: unix.optional(),
});

const tradeRecord = z.strictObject({
  id: text,
  seq: index,
  proposedBy: text,
  proposedAt: unix,
  coordinator: text,
  deadline: unix,
  venue: text.optional(),
  legs: z.array(tradeLeg),
  parties: z.array(text),
  signedBy: z.array(text),
  status: z.enum(keysOf(TRADE_STATUSES)),
  committedAt: unix.optional(),
  completedAt: unix.optional(),
  abortedAt: unix.optional(),
  abortedBy: text.optional(),
  breaches: z.array(text),
  history: z.array(z.strictObject({ index, type: entryType, time: unix, author: text })),
});

const at = z.strictObject({ index, time: unix });

const officialRecord = z.strictObject({ party: text, id: text, key: text, registeredAt: at, revokedAt: at.optional() });

const incidentRecord = z.strictObject({
  id: text,
  seq: index,
  name: text,
  date: text,
  sector: z.enum(INCIDENT_SECTORS),
  description: text,
  group: text.optional(),
  registeredBy: text,
  registeredAt: at,
  requestCount: index,
});

const requestLink = z.strictObject({ request: text, relation: z.enum(REQUEST_RELATIONS) });

/** Each map's values, by where the map is (state-map-paths.ts). */
const MAP_VALUES = {
  requests: requestRecord,
  requestIds: text,
  'trades.byId': tradeRecord,
  'trades.ids': text,
  'trades.locks': text.nullable(),
  'officials.byId': officialRecord,
  'officials.byKey': text,
  'incidents.byId': incidentRecord,
  'incidents.ids': text,
  'incidents.members': text,
  'incidents.groups': z.strictObject({ key: text, name: text, seq: index, incidents: z.array(text) }),
  'incidents.groupIds': text,
  'incidents.links': z.strictObject({ incidents: z.array(text), related: z.array(requestLink), relatedBy: z.array(requestLink) }),
} as const satisfies Record<StateMapPath, z.ZodType>;

/** The schema of one value of the map at `path`: a snapshot's pairs are checked one at a time as they are read (state-reader.ts). */
export function mapValueSchema(path: StateMapPath): z.ZodType {
  return MAP_VALUES[path];
}

/**
 * The state's data with each map written by `map` (given its path): its pairs in the whole
 * JSON form, its number of pairs in a snapshot's first line, its changes in a delta. One
 * listing of the members, so that the three forms cannot drift apart.
 */
function stateSchema<M extends z.ZodType>(map: (path: StateMapPath) => M) {
  return z.strictObject({
    /** The format's version: a snapshot of another version is refused, never guessed at. */
    v: z.literal(1),
    size: index,
    treaty: treatySchema.optional(),
    proposals: z.array(z.strictObject({ treaty: treatySchema, proposedBy: text, proposedAt: unix, ratifiedBy: z.array(text) })),
    requests: map('requests'),
    requestIds: map('requestIds'),
    invocations: z.array(z.strictObject({ by: text, against: text, ground: text })),
    adoptedAt: unix.optional(),
    trades: z.strictObject({
      byId: map('trades.byId'),
      ids: map('trades.ids'),
      locks: map('trades.locks'),
      blocCredits: credits,
      partyCredits: credits,
      // Written by snapshots before the open trades were kept in the figure index (trade-duty-index.ts); read and let go.
      open: z.array(z.strictObject({ id: text, deadline: unix })).optional(),
    }),
    officials: z.strictObject({
      byId: map('officials.byId'),
      byKey: map('officials.byKey'),
      counts: z.record(text, z.strictObject({ registered: index, active: index })),
    }),
    incidents: z.strictObject({
      byId: map('incidents.byId'),
      ids: map('incidents.ids'),
      members: map('incidents.members'),
      groups: map('incidents.groups'),
      groupIds: map('incidents.groupIds'),
      links: map('incidents.links'),
    }),
    clearingCredits: credits.optional(),
    lastClearingRoundAt: unix.optional(),
    denunciations: z
      .array(
        z.strictObject({
          party: text,
          index,
          notifiedAt: unix,
          effectiveAt: unix,
          article: text,
          pending: z.literal('continue'),
          pendingArticle: text,
          effectiveIndex: index.optional(),
        }),
      )
      .optional(),
    transportKeys: z.record(text, z.strictObject({ party: text, kid: text, key: text, at: unix, index })).optional(),
  });
}

/** The whole JSON form: every map as its [key, value] pairs (snapshot.ts `encodeState`). */
export const stateSnapshotSchema = stateSchema((path) => pairs(MAP_VALUES[path]));

/** A snapshot's first line: every map as its number of pairs, which follow it one to a line (state-reader.ts). */
export const stateHeaderSchema = stateSchema(() => index).extend({
  /** The mark of the request records' schema of the version that wrote it (snapshot-check.ts `requestRecordShape`); absent in snapshots written before it. */
  recordShape: text.optional(),
});

/** A delta (snapshot-delta.ts): every map as the pairs set and the keys dropped since the state of `base` entries. */
export const stateDeltaSchema = stateSchema((path) => z.strictObject({ set: pairs(MAP_VALUES[path]), drop: z.array(text) })).extend({ base: index });

export type StateSnapshotData = z.infer<typeof stateSnapshotSchema>;
