import fc from 'fast-check';
import { evaluate } from './evaluate.ts';
import { mirrorLawProfiles, mirrorParties } from './mirror.ts';
import { REQUEST_KINDS, type Treaty } from './schema.ts';
import type { EvaluationContext, RequestView } from './request-view.ts';

export interface SymmetryCounterexample {
  readonly parties: readonly [string, string];
  readonly request: RequestView;
  readonly context: EvaluationContext;
  /** Where the mirrored outcome differs from the mirror of the outcome. */
  readonly path: string;
  readonly expected: unknown;
  readonly found: unknown;
}

export interface SymmetryReport {
  readonly holds: boolean;
  readonly runs: number;
  readonly seed: number;
  readonly counterexample?: SymmetryCounterexample;
}

const DAY = 86_400;
const FROM_2000 = 946_684_800;
const TO_2035 = 2_051_222_400;

/** Requests over the treaty's own vocabulary, between the two given parties, either way. */
export function arbitraryRequest(treaty: Treaty, a: string, b: string): fc.Arbitrary<RequestView> {
  const offenceIds = [...treaty.offences.map((offence) => offence.id), 'not-a-treaty-offence'];
  return fc
    .record({
      forward: fc.boolean(),
      // Every kind, requests for data included (issue 17): their rules must be as symmetric.
      kind: fc.constantFrom(...REQUEST_KINDS),
      purpose: fc.constantFrom('prosecution' as const, 'enforcement' as const),
      nationalities: fc.subarray([a, b, 'ZZ']),
      ageAtOffence: fc.integer({ min: 10, max: 80 }),
      offences: fc.uniqueArray(fc.constantFrom(...offenceIds), { minLength: 1, maxLength: 3 }),
      filedAt: fc.integer({ min: FROM_2000, max: TO_2035 }),
      yearsBefore: fc.integer({ min: 0, max: 25 * 365 }),
      sentenceRemainingMonths: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      facts: fc.record({
        finalJudgment: fc.boolean(),
        amnesty: fc.boolean(),
        politicalOffence: fc.boolean(),
        discriminationRisk: fc.boolean(),
        militaryOffence: fc.boolean(),
        fiscalOffence: fc.boolean(),
        pendingProceedings: fc.boolean(),
        essentialInterests: fc.boolean(),
      }),
    })
    .map((draw) => ({
      requesting: draw.forward ? a : b,
      requested: draw.forward ? b : a,
      kind: draw.kind,
      purpose: draw.purpose,
      subject: { nationalities: draw.nationalities, ageAtOffence: draw.ageAtOffence },
      offences: draw.offences,
      offenceDate: new Date((draw.filedAt - draw.yearsBefore * DAY) * 1000).toISOString().slice(0, 10),
      sentenceRemainingMonths: draw.sentenceRemainingMonths,
      facts: draw.facts,
      filedAt: draw.filedAt,
    }));
}

/** Past invocations of grounds between the two parties, which mirrored grounds depend on. */
export function arbitraryContext(treaty: Treaty, a: string, b: string): fc.Arbitrary<EvaluationContext> {
  const grounds = treaty.grounds.map((ground) => ground.id);
  const invocation = fc.record({ forward: fc.boolean(), ground: fc.constantFrom(...grounds) }).map(({ forward, ground }) => ({
    by: forward ? a : b,
    against: forward ? b : a,
    ground,
  }));
  return fc.record({ invocations: fc.array(invocation, { maxLength: 4 }) });
}

/**
 * The symmetry law, checked on generated requests for every pair of parties: swapping the
 * two parties (and with them their law profiles) mirrors the outcome exactly. A treaty that
 * favours one party (for instance a reservation naming it) fails with a counterexample.
 */
export function checkSymmetry(treaty: Treaty, options: { runs?: number; seed?: number } = {}): SymmetryReport {
  const runs = options.runs ?? 500;
  const seed = options.seed ?? 2021;
  const pairs: [string, string][] = [];
  const ids = treaty.parties.map((party) => party.id);
  ids.forEach((a, i) => ids.slice(i + 1).forEach((b) => pairs.push([a, b])));

  for (const [a, b] of pairs) {
    const mirroredTreaty = mirrorLawProfiles(treaty, a, b);
    const compare = (request: RequestView, context: EvaluationContext) => {
      const outcome = evaluate(treaty, request, context);
      const mirrored = evaluate(mirroredTreaty, mirrorParties(request, a, b), mirrorParties(context, a, b));
      return firstDifference(mirrorParties(outcome, a, b), mirrored, 'outcome');
    };
    const property = fc.property(arbitraryRequest(treaty, a, b), arbitraryContext(treaty, a, b), (request, context) => compare(request, context) === undefined);
    const result = fc.check(property, { numRuns: runs, seed });
    if (result.failed) {
      // fast-check has shrunk the failing input; explain that smallest case.
      const [request, context] = result.counterexample ?? [];
      const difference = request && context ? compare(request, context) : undefined;
      const counterexample = request && context && difference ? { parties: [a, b] as const, request, context, ...difference } : undefined;
      return { holds: false, runs: result.numRuns, seed, ...(counterexample ? { counterexample } : {}) };
    }
  }
  return { holds: true, runs: runs * pairs.length, seed };
}

/** The first path at which two JSON-like values differ, with both values there. */
export function firstDifference(expected: unknown, found: unknown, path: string): { path: string; expected: unknown; found: unknown } | undefined {
  if (Object.is(expected, found)) return undefined;
  if (Array.isArray(expected) && Array.isArray(found)) {
    const length = Math.max(expected.length, found.length);
    for (let index = 0; index < length; index++) {
      const difference = firstDifference(expected[index], found[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isRecord(expected) && isRecord(found)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
    for (const key of keys) {
      const difference = firstDifference(expected[key], found[key], `${path}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  return { path, expected, found };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
