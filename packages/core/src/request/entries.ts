import { z } from 'zod';
import { partyIdSchema, REQUEST_KINDS, treatySchema } from '../treaty/schema.ts';
import { INCIDENT_SECTORS } from '../incidents/sectors.ts';
import { caseKeysSchema, transportKeySchema, transportKidSchema } from '../erasure/case-keys.ts';

/**
 * The catalogue of entry types (DESIGN.md "Request lifecycle"). Each body splits into
 * public fields, which the rules read, and one `sealed` member holding personal data,
 * evidence and free-text reasons. The services issue encrypts `sealed` as a JWE to the
 * parties; until then it may be plaintext. No rule ever reads `sealed`.
 */

export const requestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a request id of letters, digits, ".", "_" or "-", at most 64 long');
const officialId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a pseudonymous official id such as "ru-approver-1"');
const groundId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a ground id such as "nationality"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/**
 * A sealed member: plaintext before encryption, or the compact JWE that replaces it. Every
 * one may name the official who took the act (issue 15, "audit trail"): the parties read who
 * did it, the public sees only the state. So each member is optional within it: a sealed
 * member may hold the official alone; which act must carry its text is `apply`'s rule
 * (SEALED_REQUIRED, and a refusal's reasons), since the log holds only the ciphertext.
 */
function sealed<T extends z.ZodRawShape>(shape: T) {
  return z.union([z.strictObject({ jwe: z.string().min(1) }), z.strictObject(shape).partial().extend({ official: officialId.optional() })]).optional();
}

const text = z.string().max(20_000);

/** An incident's public id, such as "colonial-pipeline-2021" (issue 17). */
export const incidentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an incident id of letters, digits, ".", "_" or "-", at most 64 long');

/** How a request relates to an earlier one (issue 17): persons accused together, or members of the same group. */
export const REQUEST_RELATIONS = ['co-accused', 'same-group'] as const;
export type RequestRelation = (typeof REQUEST_RELATIONS)[number];

const distinct = <T>(key: (item: T) => string) => (items: readonly T[]) => new Set(items.map(key)).size === items.length;

export const factsSchema = z.strictObject({
  finalJudgment: z.boolean().default(false),
  amnesty: z.boolean().default(false),
  politicalOffence: z.boolean().default(false),
  discriminationRisk: z.boolean().default(false),
  militaryOffence: z.boolean().default(false),
  fiscalOffence: z.boolean().default(false),
  pendingProceedings: z.boolean().default(false),
  /**
   * For requests for data (issue 17): executing the request would prejudice the requested
   * party's sovereignty, security, ordre public or other essential interests (Budapest art.
   * 27(4)(b), 29(5)(b)). Optional, with no default, so that bodies written before it keep
   * their shape; the requested party records it as a finding.
   */
  essentialInterests: z.boolean().optional(),
});
export type Facts = z.infer<typeof factsSchema>;

/** A filing that states no fact: none of the grounds' facts holds. */
export const NO_FACTS: Facts = Object.freeze({
  finalJudgment: false,
  amnesty: false,
  politicalOffence: false,
  discriminationRisk: false,
  militaryOffence: false,
  fiscalOffence: false,
  pendingProceedings: false,
});

/**
 * Facts the requested party found. No defaults: zod 4 would fill every fact the finding does
 * not mention with `false`, which reads as "found not to be so" rather than "not found".
 */
const findingsSchema = z.strictObject({
  finalJudgment: z.boolean().optional(),
  amnesty: z.boolean().optional(),
  politicalOffence: z.boolean().optional(),
  discriminationRisk: z.boolean().optional(),
  militaryOffence: z.boolean().optional(),
  fiscalOffence: z.boolean().optional(),
  pendingProceedings: z.boolean().optional(),
  essentialInterests: z.boolean().optional(),
});

const fileBody = z.strictObject({
  request: requestIdSchema,
  requested: partyIdSchema,
  /**
   * ECE art. 16: a provisional-arrest request may precede the full request. The other kinds
   * ask for data, not a person (issue 17; the treaty's `evidence` section).
   */
  kind: z.enum(REQUEST_KINDS),
  /**
   * The earlier request this one continues: the provisional-arrest request a full request
   * completes (ECE art. 16(4)), or the preservation a request for disclosure or production
   * of the preserved data follows (Budapest art. 29(7)).
   */
  follows: requestIdSchema.optional(),
  purpose: z.enum(['prosecution', 'enforcement']),
  subject: z.strictObject({
    pseudonym: z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'a pseudonymous subject id, never a name'),
    nationalities: z.array(partyIdSchema).max(5),
    ageAtOffence: z.number().int().min(0).max(120),
  }),
  offences: z.array(groundId).min(1, 'at least one offence category').max(12),
  offenceDate: isoDate,
  sentenceRemainingMonths: z.number().int().min(0).max(1200).optional(),
  facts: factsSchema.default(NO_FACTS),
  /**
   * Public links (issue 17): the registered incidents the request concerns, and earlier
   * requests it relates to. Optional, so that logs written before them still replay; `apply`
   * checks that each incident and request exists (incidents/links.ts).
   */
  incidents: z.array(incidentIdSchema).max(10).refine(distinct((id: string) => id), 'each incident named once').optional(),
  related: z
    .array(z.strictObject({ request: requestIdSchema, relation: z.enum(REQUEST_RELATIONS) }))
    .max(20)
    .refine(distinct((link: { readonly request: string }) => link.request), 'each related request named once')
    .optional(),
  /**
   * Sealed to the parties: the person's identity, the statement of facts, evidence references,
   * and the file's own references (issue 15): the case reference, the court, the warrant's date.
   */
  sealed: sealed({
    identity: text.optional(),
    evidence: z.array(z.string()).optional(),
    statement: text.optional(),
    caseReference: z.string().max(200).optional(),
    court: z.string().max(200).optional(),
    warrantDate: isoDate.optional(),
  }),
  /**
   * The request's own case key, wrapped to each party's transport key (issue 17, erasure/
   * case-keys.ts): the sealed members of this request's entries are encrypted under it, so that
   * destroying it erases them. Optional, so that logs written before case keys still replay.
   */
  caseKeys: caseKeysSchema.optional(),
});

const ref = { request: requestIdSchema };

/**
 * Trade entries (DESIGN.md "Trades"; trade/lifecycle). A leg is a conditional grant, with an
 * optional destination other than the requester, or a voluntary transfer with no request
 * (a pardoned prisoner, a child travelling along: reference/domain.md §6). `weight` is the
 * leg's value under a weighted or bloc-credits balance rule; absent means 1.
 */
/** Two-person rule: two different approvers of the authoring party. */
const approvers = z.array(officialId).length(2, 'exactly two approvers');
/**
 * Issue 13, "two approvals anyone can check": each approver's Ed25519 signature over the act
 * (officials/approval.ts), in the order of `approvers`. Required once the authoring party
 * has registered its officials (official.register); `apply` checks them.
 */
const approvals = z.array(z.string().regex(/^[A-Za-z0-9+/]{85}[AQgw]==$/, 'a base64 Ed25519 signature of 64 bytes')).length(2, 'exactly two signatures, one per approver').optional();
const officialKey = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'a base64 Ed25519 public key of 32 bytes');

function tradeBodySchemas() {
  const trade = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a trade id of letters, digits, ".", "_" or "-", at most 64 long');
  const weight = z.number().int().min(1).max(1000).optional();
  const leg = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('request'), request: requestIdSchema, destination: partyIdSchema.optional(), weight }),
    z.strictObject({
      kind: z.literal('voluntary'),
      from: partyIdSchema,
      to: partyIdSchema,
      subject: z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'a pseudonymous subject id, never a name'),
      reason: z.enum(['pardon', 'family', 'other']),
      weight,
    }),
  ]);
  const legIndex = z.number().int().min(0).max(255);
  return {
    'trade.propose': z.strictObject({
      trade,
      legs: z.array(leg).min(1, 'at least one leg').max(256),
      /** Who attests the handovers: a treaty party (a neutral one, say) or the exchange operator. */
      coordinator: z.union([partyIdSchema, z.literal('exchange')]),
      /** Unix seconds: after this instant a trade with a leg not handed over may be aborted. */
      deadline: z.number().int().min(0).max(253_402_300_799),
      venue: z.string().max(200).optional(),
      sealed: sealed({ note: text }),
    }),
    /** Signing binds the state to the trade: two of its approvers, as for a decision. */
    'trade.sign': z.strictObject({ trade, approvers, approvals, sealed: sealed({ note: text }) }),
    'trade.commit': z.strictObject({ trade, approvers, approvals, sealed: sealed({}) }),
    /** The coordinator checked the person's identity and health and saw the handover. */
    'trade.attest': z.strictObject({ trade, leg: legIndex, identity: z.literal(true), health: z.literal(true), sealed: sealed({ note: text }) }),
    /** The handing-over party records that it handed the person of a leg over, whoever coordinates. */
    'trade.surrender': z.strictObject({ trade, leg: legIndex, sealed: sealed({ note: text }) }),
    'trade.confirm-receipt': z.strictObject({ trade, leg: legIndex, sealed: sealed({}) }),
    'trade.abort': z.strictObject({ trade, sealed: sealed({ reasons: text }) }),
  } as const;
}
const reasons = sealed({ reasons: text });

export const entryBodySchemas = {
  /** A treaty act binds the state: once it has registered officials, two of them sign it (issue 13). */
  'treaty.propose': z.strictObject({ treaty: treatySchema, approvers: approvers.optional(), approvals }),
  'treaty.ratify': z.strictObject({ treaty: z.string(), version: z.number().int().min(1), approvers: approvers.optional(), approvals }),
  /**
   * The author denounces the treaty in force, `treaty` naming its id (issue 17): the entry is the
   * notification, and the denunciation takes effect after the notice period the treaty states
   * (its `denunciation` section; treaty/denunciation.ts). It binds the state like a ratification.
   */
  'treaty.denounce': z.strictObject({ treaty: z.string().min(1), approvers: approvers.optional(), approvals }),
  /**
   * A state registers its officials' public keys under pseudonymous ids (issue 13). The first
   * registration of a state, its founding set, is signed by the state's key alone; every later
   * one needs two approvers already registered.
   */
  'official.register': z.strictObject({
    officials: z.array(z.strictObject({ id: officialId, key: officialKey })).min(1, 'at least one official').max(100),
    approvers: approvers.optional(),
    approvals,
  }),
  /** Revoking an official's key, by two other approvers; acts it approved before stay valid. */
  'official.revoke': z.strictObject({ official: officialId, reason: z.string().max(500).optional(), approvers, approvals }),
  /**
   * A party registers an incident (issue 17, "Incidents, public"): what the public knows of an
   * attack that requests concern, so that figures can be given per incident and per group. Every
   * field is public and nothing is sealed: it must never name a person (the requests name
   * persons, by pseudonym). `group` is the criminal group as publicly named, if any.
   */
  'incident.register': z.strictObject({
    incident: incidentIdSchema,
    name: z.string().min(1).max(120).regex(/\S/, 'a public name, not blank'),
    /** The day the incident began, as publicly reported. */
    date: isoDate,
    sector: z.enum(INCIDENT_SECTORS),
    description: z.string().min(1).max(1000).regex(/\S/, 'a short public description, not blank'),
    group: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,62}[A-Za-z0-9])?$/, 'a group name of letters, digits, spaces, ".", "_" or "-", at most 64 long, such as "DarkSide"')
      .optional(),
  }),
  'request.file': fileBody,
  'request.acknowledge': z.strictObject({ ...ref, sealed: sealed({}) }),
  /** The requested party reports that it arrested the person (starts the ECE art. 16 clocks). */
  'request.arrest': z.strictObject({ ...ref, sealed: sealed({}) }),
  'request.ask-info': z.strictObject({ ...ref, sealed: sealed({ questions: text }) }),
  'request.supply-info': z.strictObject({ ...ref, sealed: sealed({ answer: text, evidence: z.array(z.string()).optional() }) }),
  /** The person consents to surrender (FD 2002/584 art. 17(2): decide within 10 days). */
  'request.consent': z.strictObject({ ...ref, sealed: sealed({}) }),
  /** FD 2002/584 art. 17(4): the decision period may be extended once, with reasons. */
  'request.extend': z.strictObject({ ...ref, sealed: reasons }),
  'request.consult': z.strictObject({ ...ref, ground: groundId, sealed: sealed({ message: text }) }),
  'request.consult-reply': z.strictObject({ ...ref, sealed: sealed({ message: text }) }),
  'request.decide': z.strictObject({
    ...ref,
    decision: z.enum(['grant', 'grant-conditional', 'refuse', 'refuse-prosecute']),
    /** The ground a refusal cites. */
    ground: groundId.optional(),
    /** Assurances a conditional grant requires of the requesting party. */
    assurances: z.array(groundId).default([]),
    /** A grant conditional on reciprocity, to be traded (DESIGN.md "Trades"). */
    onReciprocity: z.boolean().default(false),
    /** Facts the requested party found, added to those of the filing. */
    findings: findingsSchema.default({}),
    /** Two-person rule: two different approvers of the requested party. */
    approvers,
    approvals,
    sealed: reasons,
  }),
  /**
   * The requested party delivers the data a request for it was granted for (issue 17): each
   * file went through the sealed evidence store, and the entry names it by the SHA-256 of its
   * ciphertext, so the requesting party can fetch it and anyone can see that something was
   * delivered, and when, without seeing what.
   */
  'request.provide': z.strictObject({
    ...ref,
    evidence: z
      .array(z.string().regex(/^sha256:[0-9a-f]{64}$/, 'an evidence reference as sha256:<64 hex digits>'))
      .min(1, 'at least one evidence file')
      .max(100)
      .refine(distinct((reference: string) => reference), 'each evidence file named once'),
    sealed: sealed({ note: text }),
  }),
  'request.assure': z.strictObject({ ...ref, assurances: z.array(groundId).min(1), sealed: sealed({ text }) }),
  'request.schedule-surrender': z.strictObject({ ...ref, date: isoDate, place: z.string().max(200).optional(), sealed: sealed({}) }),
  'request.surrender': z.strictObject({ ...ref, sealed: sealed({}) }),
  'request.confirm-receipt': z.strictObject({ ...ref, sealed: sealed({}) }),
  'request.withdraw': z.strictObject({ ...ref, sealed: reasons }),
  /**
   * A party records that its gateway destroyed the request's case key (issue 17): the sealed
   * members can no longer be read from its copy. Either party, once, after the case ended and
   * the treaty's retention period ran (erasure/erase.ts). Nothing sealed: it names the case only.
   */
  'request.erase': z.strictObject({ ...ref }),
  /**
   * A party's gateway puts a new transport key in force (issue 17, erasure/transport-keys.ts):
   * the X25519 public key new case keys are wrapped to for it.
   */
  'seal.publish': z.strictObject({ kid: transportKidSchema, key: transportKeySchema }),
  /**
   * A decision proposal that one approver made inside the requested party's gateway ended
   * without a decision: its proposer withdrew it, a second approver rejected it, or the
   * request's history overtook it. Recorded so that both parties' officials see it; who acted
   * and why are sealed to the parties.
   */
  'request.proposal-closed': z.strictObject({
    ...ref,
    proposal: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a proposal id'),
    outcome: z.enum(['withdrawn', 'rejected', 'overtaken']),
    sealed: sealed({ official: officialId, reasons: text.optional(), decision: z.string().max(200).optional() }),
  }),
  'prosecution.milestone': z.strictObject({
    ...ref,
    milestone: z.enum(['opened', 'charged', 'tried', 'verdict', 'sentence', 'progress']),
    sealed: sealed({ detail: text }),
  }),
  'prosecution.outcome': z.strictObject({
    ...ref,
    outcome: z.enum(['convicted', 'acquitted', 'discontinued']),
    sentenceMonths: z.number().int().min(0).max(1200).optional(),
    sealed: sealed({ detail: text }),
  }),
  ...tradeBodySchemas(),
  /**
   * The record of a clearing round by the exchange (issue 6): the fairness credit of each
   * party after the round, in millionths of a person, so that they carry to the next round
   * through the log and anyone can check that they sum to zero. Since issue 13 it also holds
   * what makes the round re-checkable (`evenhand clear --audit`, docs/clearing-audit.md): the
   * log size whose state the pool was built from, the pool's digest, the objective, bound and
   * gap (millionths) and the solver's figures. They are optional only so that logs written
   * before them still replay; the exchange always writes them, `apply` takes all or none, and
   * the audit fails a round without them.
   */
  'clearing.round': z.strictObject({
    round: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a round id'),
    pool: z.number().int().min(0),
    trades: z.array(z.string()).max(10_000),
    credits: z.record(partyIdSchema, z.number().int()),
    poolAt: z.number().int().min(0).optional(),
    poolDigest: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest as 64 lowercase hex digits').optional(),
    objective: z.number().int().min(0).optional(),
    bound: z.number().int().min(0).optional(),
    gap: z.number().int().min(0).max(1_000_000, 'a gap in millionths, at most 1,000,000').optional(),
    solver: z
      .strictObject({
        stage: z.enum(['empty', 'greedy', 'mip', 'fair']),
        timedOut: z.boolean(),
        states: z.number().int().min(0),
        requests: z.number().int().min(0),
        cycles: z.number().int().min(0),
        greedyObjective: z.number().int().min(0),
        circulationBound: z.number().int().min(0),
        milliseconds: z.number().int().min(0),
      })
      .optional(),
  }),
} as const;

export type EntryType = keyof typeof entryBodySchemas;
export const entryTypes = Object.keys(entryBodySchemas) as EntryType[];
export type EntryBody<T extends EntryType> = z.infer<(typeof entryBodySchemas)[T]>;

/** The part of a log entry that the domain reads; the log adds the envelope and signature. */
export interface DomainEntry<T extends EntryType = EntryType> {
  readonly author: string;
  readonly time: number;
  readonly type: T;
  readonly body: EntryBody<T>;
}

export type AnyDomainEntry = { [T in EntryType]: DomainEntry<T> }[EntryType];
export type FileBody = EntryBody<'request.file'>;
export type DecideBody = EntryBody<'request.decide'>;
export type TradeEntryType = Extract<EntryType, `trade.${string}`>;
export type OfficialEntryType = Extract<EntryType, `official.${string}`>;
export type IncidentEntryType = Extract<EntryType, `incident.${string}`>;
export type IncidentBody = EntryBody<'incident.register'>;
export type TradeLegInput = EntryBody<'trade.propose'>['legs'][number];

export function isTradeEntryType(type: EntryType): type is TradeEntryType {
  return type.startsWith('trade.');
}
