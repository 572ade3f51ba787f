import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply, deadlines, entryTypes, FigureCell, requestSummaries, statistics, type AnyDomainEntry, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, run } from './request-helpers.ts';

/**
 * apply is total: whatever JSON arrives as an entry (type, author, time, body), it returns
 * a typed Result and never throws (DESIGN.md "An illegal transition is a typed error, never
 * a crash"; DEVELOPERS.md "Errors"). A refused entry leaves the state as it was, names its
 * field in the message, and uses a stable code.
 */

const CODES = new Set([
  'ENTRY_INVALID', 'TYPE_UNKNOWN', 'BODY_INVALID', 'TREATY_NOT_ADOPTED', 'TREATY_INVALID', 'TREATY_VERSION_STALE', 'PROPOSAL_EXISTS', 'PROPOSAL_UNKNOWN',
  'ALREADY_RATIFIED', 'AUTHOR_NOT_A_PARTY', 'REQUEST_UNKNOWN', 'REQUEST_EXISTS', 'REQUESTED_INVALID', 'OFFENCE_UNKNOWN', 'FOLLOWS_INVALID', 'NOT_REQUESTED_PARTY',
  'NOT_REQUESTING_PARTY', 'ILLEGAL_TRANSITION', 'TIME_REVERSED', 'DEADLINE_PASSED', 'ALREADY_DONE', 'APPROVERS_NOT_DISTINCT', 'MANDATORY_REFUSAL_APPLIES',
  'ASSURANCES_REQUIRED', 'ASSURANCES_MISMATCH', 'CONDITIONS_MISSING', 'RECIPROCITY_NOT_ALLOWED', 'DECISION_INCONSISTENT', 'GROUND_UNKNOWN', 'GROUND_NOT_AVAILABLE',
  'PROSECUTION_REQUIRED', 'PROSECUTION_NOT_APPLICABLE', 'CONSULTATION_REQUIRED', 'NO_OPEN_CONSULTATION', 'ASSURANCE_NOT_REQUIRED', 'DATE_INVALID', 'REASONS_REQUIRED',
  // Requests for data, case keys and erasure (issue 17).
  'KIND_NOT_PROVIDED', 'CONTACT_POINT_MISSING', 'CASE_KEYS_INVALID', 'TRANSPORT_KEY_MISSING', 'TRANSPORT_KEY_STALE', 'TRANSPORT_KEY_REUSED', 'NOT_CASE_PARTY', 'CASE_OPEN',
  'RETENTION_NOT_PROVIDED', 'RETENTION_RUNNING', 'ALREADY_ERASED',
]);

const treaty = treaty2021();
const capital = structuredClone(treaty);
capital.lawProfiles.US!.offences['laundering']!.deathPenalty = true;

/** A state with requests in several phases, both directions, so that many entries are legal. */
function seeded(): State {
  const file = (author: string, id: string, requested: string, nationality: string, extra: Record<string, unknown> = {}) =>
    entry(author, day(0), 'request.file', fileBody(id, { requested, subject: { pseudonym: `p-${id}`, nationalities: [nationality], ageAtOffence: 30 }, ...extra }));
  return run([
    ...adoption(capital),
    file('US', 'US-1', 'RU', 'RU'),
    entry('RU', day(1), 'request.acknowledge', { request: 'US-1' }),
    file('RU', 'RU-1', 'US', 'US'),
    file('US', 'US-2', 'RU', 'UA', { offences: ['laundering'] }),
    entry('RU', day(1), 'request.acknowledge', { request: 'US-2' }),
    file('US', 'PA-1', 'RU', 'UA', { kind: 'provisional-arrest' }),
    entry('RU', day(1), 'request.arrest', { request: 'PA-1' }),
    file('RU', 'RU-2', 'US', 'UA', { facts: { fiscalOffence: true, politicalOffence: true } }),
    entry('US', day(1), 'request.acknowledge', { request: 'RU-2' }),
    entry('US', day(2), 'request.decide', { request: 'RU-2', decision: 'grant-conditional', onReciprocity: true, approvers: APPROVERS }),
  ]);
}

const GROUNDS = [...treaty.grounds.map((ground) => ground.id), 'not-extraditable', 'no-such-ground', 'Nationality'];
const json = fc.jsonValue({ maxDepth: 3 });
// A compact JWE fits every sealed member; plaintext reasons fit decisions, extensions and withdrawals.
const sealedArb = fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 10, arbitrary: fc.constant(REASONS) }, { weight: 10, arbitrary: fc.constant({ jwe: 'eyJ' }) }, fc.constant({ jwe: '' }), fc.constant({}), json);

/** Mostly a plausible value, sometimes any JSON value. */
const or = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: json });
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** Plausible bodies per type, with optional fields left out, wrong values, and extra fields. */
function bodyFor(type: string): fc.Arbitrary<unknown> {
  const request = or(pick('US-1', 'US-2', 'RU-1', 'RU-2', 'PA-1', 'NEW-1', 'NEW-2', 'US-1', 'RU-1', 'US-2', 'nope', ''));
  // Mostly with the keys a legal entry needs (and the optional ones at random), sometimes any subset.
  const base = (shape: Record<string, fc.Arbitrary<unknown>>, required: string[] = ['request']) =>
    fc.oneof({ weight: 10, arbitrary: fc.record(shape, { requiredKeys: required }) }, { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) });
  switch (type) {
    case 'request.file':
      return base(
        {
          request,
          requested: or(pick('US', 'RU', 'US', 'RU', 'CH', 'us')),
          kind: or(pick('extradition', 'extradition', 'provisional-arrest', 'other')),
          follows: pick('PA-1', 'US-1', 'none'),
          purpose: or(pick('prosecution', 'enforcement')),
          subject: or(fc.record({ pseudonym: pick('p-abc', 'p-abc', 'x', 'Jane Doe'), nationalities: fc.subarray(['US', 'RU', 'UA', 'zz']), ageAtOffence: or(fc.integer({ min: 10, max: 130 })) })),
          offences: or(fc.subarray([...treaty.offences.map((offence) => offence.id), 'jaywalking'], { minLength: 1, maxLength: 3 })),
          offenceDate: pick('2021-05-07', '2021-05-07', '2000-01-01', '2021-02-30', '0000-01-01', '2030-01-01', 'yesterday'),
          sentenceRemainingMonths: or(fc.integer({ min: -1, max: 2000 })),
          facts: or(fc.record({ finalJudgment: fc.boolean(), amnesty: fc.boolean(), fiscalOffence: fc.boolean(), pendingProceedings: fc.boolean() }, { requiredKeys: [] })),
          sealed: sealedArb,
        },
        ['request', 'requested', 'kind', 'purpose', 'subject', 'offences', 'offenceDate'],
      );
    case 'request.decide':
      return base(
        {
          request,
          decision: or(pick('grant', 'grant-conditional', 'refuse', 'refuse-prosecute', 'maybe')),
          ground: or(pick(...GROUNDS)),
          assurances: or(fc.subarray(['no-death-penalty', 'speciality', 'no-death-penalty'])),
          onReciprocity: or(fc.boolean()),
          findings: or(fc.record({ finalJudgment: fc.boolean(), politicalOffence: fc.boolean(), fiscalOffence: fc.boolean() }, { requiredKeys: [] })),
          approvers: fc.oneof({ weight: 12, arbitrary: fc.constant(APPROVERS) }, pick(['a-1', 'a-1'], ['a-1'], ['A-1', 'a-2']), json),
          sealed: sealedArb,
        },
        ['request', 'decision', 'approvers'],
      );
    case 'request.consult':
      return base({ request, ground: or(pick(...GROUNDS)), sealed: sealedArb }, ['request', 'ground']);
    case 'request.assure':
      return base({ request, assurances: or(fc.subarray(['no-death-penalty', 'speciality'], { minLength: 1 })), sealed: sealedArb }, ['request', 'assurances']);
    case 'request.schedule-surrender':
      return base({ request, date: pick('2021-06-20', '2021-08-30', '2021-10-01', '2020-01-01', '2021-13-01', '9999-12-31'), place: or(fc.string()) }, ['request', 'date']);
    case 'prosecution.milestone':
      return base({ request, milestone: or(pick('opened', 'charged', 'tried', 'verdict', 'sentence', 'progress', 'appeal')), sealed: sealedArb }, ['request', 'milestone']);
    case 'prosecution.outcome':
      return base({ request, outcome: or(pick('convicted', 'acquitted', 'discontinued', 'pardoned')), sentenceMonths: or(fc.integer({ min: -1, max: 1300 })), sealed: sealedArb }, ['request', 'outcome']);
    case 'treaty.ratify':
      return base({ treaty: or(pick(treaty.id, 'other')), version: or(fc.integer({ min: 0, max: 3 })) }, ['treaty', 'version']);
    case 'treaty.propose':
      return fc.record({ version: fc.integer({ min: 1, max: 3 }), path: pick('none', 'deadlines.decideDays', 'grounds', 'parties', 'lawProfiles', 'consultation', 'reciprocity.mirroredGrounds'), value: json }).map(({ version, path, value }) => {
        const document: Record<string, unknown> = { ...structuredClone(treaty), version };
        if (path !== 'none') {
          const [head, tail] = path.split('.') as [string, string | undefined];
          if (tail === undefined) document[head] = value;
          else document[head] = { ...(document[head] as Record<string, unknown>), [tail]: value };
        }
        return { treaty: document };
      });
    case 'request.acknowledge':
    case 'request.arrest':
    case 'request.consent':
    case 'request.surrender':
    case 'request.confirm-receipt':
      return fc.oneof({ weight: 10, arbitrary: fc.record({ request }) }, { weight: 1, arbitrary: base({ request, sealed: sealedArb }) });
    default:
      return base({ request, sealed: sealedArb });
  }
}

const typeArb = fc.oneof({ weight: 30, arbitrary: pick(...entryTypes) }, { weight: 1, arbitrary: pick('__proto__', 'constructor', 'toString', 'request.teleport', '') }, { weight: 1, arbitrary: json });
const authorArb = fc.oneof({ weight: 30, arbitrary: pick('US', 'RU') }, { weight: 1, arbitrary: pick('CH', '', 'us', '__proto__') }, { weight: 1, arbitrary: json });
const timeArb = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 2, max: 90 }).map((n) => day(n)) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 400 }).map((n) => day(n)) },
  { weight: 2, arbitrary: pick(0, -1, 1.5, Number.MAX_SAFE_INTEGER, 8_640_000_000_000, 8_640_000_000_001, 9_000_000_000_000, 253_402_300_799, 253_402_300_800) },
  { weight: 1, arbitrary: json },
);

const entryArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ type: typeArb, author: authorArb, time: timeArb }).chain(({ type, author, time }) => or(bodyFor(typeof type === 'string' ? type : '')).map((body) => ({ type, author, time, body }))) },
  { weight: 1, arbitrary: json },
  { weight: 1, arbitrary: fc.record({ type: typeArb, author: authorArb, time: timeArb }, { requiredKeys: [] }) },
);

/** Freezes all of a state but its figure cell: a memo that its first reading fills (figure-cell.ts), the one object a reading writes. */
function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value !== null && typeof value === 'object' && !seen.has(value) && !(value instanceof FigureCell)) {
    seen.add(value);
    for (const item of Object.values(value)) deepFreeze(item, seen);
    Object.freeze(value);
  }
  return value;
}

describe('apply is total over arbitrary JSON entries', () => {
  const start = deepFreeze(seeded());

  it('never throws; refusals are typed, name their field, and leave the (frozen) state unchanged', () => {
    let accepted = 0;
    let refusedCount = 0;
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 12 }), (entries) => {
        let state = start;
        for (const item of entries) {
          const before = JSON.stringify(state);
          // Frozen inputs: any mutation of the state or the entry throws in strict mode.
          const result = apply(state, deepFreeze(structuredClone(item)) as AnyDomainEntry);
          assert.equal(typeof result.ok, 'boolean');
          if (result.ok) {
            accepted += 1;
            assert.equal(result.value.size, state.size + 1, 'an accepted entry counts once');
            assert.equal(JSON.stringify(state), before, 'the old state stays valid after a successful apply');
            state = deepFreeze(result.value);
          } else {
            refusedCount += 1;
            codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1);
            const { code, field, message } = result.error;
            assert.ok(CODES.has(code), `stable code, found ${code}`);
            assert.equal(typeof field, 'string', `${code} names a field: ${message}`);
            assert.ok(message.startsWith(`${field}:`), `message names the field ${field}: ${message}`);
            assert.equal(JSON.stringify(state), before);
          }
        }
        // Derived views are total over every reachable state too.
        for (const now of [day(0), day(61), day(400), 253_402_300_799]) {
          deadlines(state, now);
          statistics(state, now);
        }
        requestSummaries(state);
      }),
      { numRuns: 600, seed: 20210616 },
    );
    // The generator must reach legal transitions too, or the property says little.
    assert.ok(accepted > 80, `accepted ${accepted} entries; refused ${JSON.stringify([...codes])}`);
    assert.ok(refusedCount > 500, `refused ${refusedCount} entries`);
  });

  it('never throws for entry times anywhere in the safe-integer range (clocks and messages included)', () => {
    // The requested party's own entries on its open requests, so that most are legal and
    // reach the clocks and the messages that print instants.
    const step = fc.record({
      request: pick('US-1', 'US-2', 'RU-1'),
      type: pick('request.acknowledge', 'request.arrest', 'request.consent', 'request.extend', 'request.consult', 'request.ask-info', 'request.decide'),
      time: fc.oneof(fc.integer({ min: day(2), max: day(200) }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), pick(8_640_000_000_000, 8_640_000_000_001, 253_402_300_799, Number.MAX_SAFE_INTEGER)),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let state = start;
        for (const { request, type, time } of steps) {
          const author = request.startsWith('US') ? 'RU' : 'US';
          const extra = type === 'request.consult' ? { ground: 'nationality' } : type === 'request.decide' ? { decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS } : type === 'request.extend' ? { sealed: REASONS } : {};
          const result = apply(state, { type, author, time, body: { request, ...extra } } as unknown as AnyDomainEntry);
          if (result.ok) state = result.value;
          else assert.ok(result.error.message.startsWith(`${result.error.field}:`), result.error.message);
        }
        for (const now of [0, day(100), Number.MAX_SAFE_INTEGER]) {
          deadlines(state, now);
          statistics(state, now);
        }
      }),
      { numRuns: 500, seed: 2021 },
    );
  });

  it('never throws on bodies that are any JSON value, for every entry type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...entryTypes), fc.constantFrom('US', 'RU'), json, (type, author, body) => {
        const result = apply(start, { type, author, time: day(3), body } as unknown as AnyDomainEntry);
        if (!result.ok) assert.ok(result.error.message.startsWith(`${result.error.field}:`), result.error.message);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });
});
