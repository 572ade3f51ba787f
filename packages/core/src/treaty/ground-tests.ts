import { dateToUnix, daysBetween } from '../time.ts';
import { assertNever } from '../result.ts';
import type { GroundTest, LawProfile, Treaty } from './schema.ts';
import type { RequestView } from './request-view.ts';
import type { FactTest, Finding } from './findings.ts';

/** Whether a ground's factual test holds for a request, and why. Reads public fields only. */
export interface TestOutcome {
  readonly holds: boolean;
  readonly finding: Finding;
}

function fact(test: FactTest, holds: boolean): TestOutcome {
  return { holds, finding: { code: 'fact', test, holds } };
}

/** The limitation period in years of one offence in one party's law (the first matching step). */
export function limitationYears(profile: LawProfile, maxPenaltyMonths: number): number {
  for (const step of profile.limitation) {
    if (step.maxPenaltyUpToMonths === undefined || maxPenaltyMonths <= step.maxPenaltyUpToMonths) return step.years;
  }
  // The loader guarantees a final open-ended step; this is the longest period as a fallback.
  return Math.max(...profile.limitation.map((step) => step.years));
}

/**
 * ECE art. 10: lapse of time "according to the law of either the requesting or the
 * requested Party". Checking both laws keeps the test symmetric in the roles.
 */
function timeBarred(treaty: Treaty, request: RequestView): TestOutcome {
  const committed = dateToUnix(request.offenceDate);
  if (committed === undefined) return { holds: false, finding: { code: 'offence-date-invalid', date: request.offenceDate } };
  const elapsedYears = daysBetween(committed, request.filedAt) / 365.25;
  const barred: { offence: string; party: string; years: number }[] = [];
  for (const party of [request.requesting, request.requested]) {
    const profile = treaty.lawProfiles[party];
    if (!profile) continue;
    for (const offence of request.offences) {
      const penalty = profile.offences[offence];
      if (!penalty) continue;
      const years = limitationYears(profile, penalty.maxPenaltyMonths);
      if (elapsedYears > years) barred.push({ offence, party, years });
    }
  }
  return barred.length > 0 ? { holds: true, finding: { code: 'time-barred', barred } } : { holds: false, finding: { code: 'within-limitation', elapsedYears } };
}

export function runGroundTest(test: GroundTest, treaty: Treaty, request: RequestView): TestOutcome {
  const { facts } = request;
  const requestedLaw = treaty.lawProfiles[request.requested];
  const requestingLaw = treaty.lawProfiles[request.requesting];
  switch (test) {
    case 'final-judgment':
      return fact('final-judgment', facts.finalJudgment);
    case 'time-barred':
      return timeBarred(treaty, request);
    case 'amnesty':
      return fact('amnesty', facts.amnesty);
    case 'under-age': {
      const minimum = requestedLaw?.ageOfCriminalResponsibility ?? 0;
      const age = request.subject.ageAtOffence;
      return { holds: age < minimum, finding: { code: 'under-age', holds: age < minimum, age, minimum } };
    }
    case 'political-offence':
      return fact('political-offence', facts.politicalOffence);
    case 'discrimination':
      return fact('discrimination', facts.discriminationRisk);
    case 'military-offence':
      return fact('military-offence', facts.militaryOffence);
    case 'fiscal-offence':
      return fact('fiscal-offence', facts.fiscalOffence);
    case 'national-of-requested': {
      const national = request.subject.nationalities.includes(request.requested);
      return { holds: national, finding: { code: 'national-of-requested', holds: national, party: request.requested } };
    }
    case 'pending-proceedings':
      return fact('pending-proceedings', facts.pendingProceedings);
    case 'essential-interests':
      // A finding of the requested party alone: no filing claims it (Budapest art. 27(4)(b)).
      return fact('essential-interests', facts.essentialInterests === true);
    case 'death-penalty': {
      const capital = request.offences.filter((offence) => requestingLaw?.offences[offence]?.deathPenalty === true);
      return { holds: capital.length > 0, finding: { code: 'death-penalty', offences: capital } };
    }
    default:
      return assertNever(test, 'ground test');
  }
}

/** Whether the requested party's own law bars the act (for grounds marked `onlyWhereLawBars`). */
export function lawBars(test: GroundTest, party: string, profile: LawProfile | undefined): { bars: boolean; finding: Finding } {
  if (test === 'national-of-requested') {
    const bars = profile !== undefined && !profile.extraditesNationals;
    return { bars, finding: { code: 'law-bars-nationals', party, bars, source: profile?.extraditesNationalsSource } };
  }
  return { bars: true, finding: { code: 'no-law-fact', party } };
}
