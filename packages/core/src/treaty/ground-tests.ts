import { dateToUnix, daysBetween } from '../time.ts';
import { assertNever } from '../result.ts';
import type { GroundTest, LawProfile, Treaty } from './schema.ts';
import type { RequestView } from './request-view.ts';

/** Whether a ground's factual test holds for a request, and why. Reads public fields only. */
export interface TestOutcome {
  readonly holds: boolean;
  readonly detail: string;
}

function flag(holds: boolean, yes: string, no: string): TestOutcome {
  return { holds, detail: holds ? yes : no };
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
  if (committed === undefined) return { holds: false, detail: `offence date "${request.offenceDate}" is not a date` };
  const elapsedYears = daysBetween(committed, request.filedAt) / 365.25;
  const barred: string[] = [];
  for (const party of [request.requesting, request.requested]) {
    const profile = treaty.lawProfiles[party];
    if (!profile) continue;
    for (const offence of request.offences) {
      const penalty = profile.offences[offence];
      if (!penalty) continue;
      const years = limitationYears(profile, penalty.maxPenaltyMonths);
      if (elapsedYears > years) barred.push(`${offence} in ${party} law (${years} years)`);
    }
  }
  return flag(barred.length > 0, `time-barred: ${barred.join('; ')}`, `${elapsedYears.toFixed(1)} years since the offence, within every limitation period`);
}

export function runGroundTest(test: GroundTest, treaty: Treaty, request: RequestView): TestOutcome {
  const { facts } = request;
  const requestedLaw = treaty.lawProfiles[request.requested];
  const requestingLaw = treaty.lawProfiles[request.requesting];
  switch (test) {
    case 'final-judgment':
      return flag(facts.finalJudgment, 'a final judgment on the same acts exists', 'no final judgment on the same acts is recorded');
    case 'time-barred':
      return timeBarred(treaty, request);
    case 'amnesty':
      return flag(facts.amnesty, 'an amnesty in the requested party covers the offence', 'no amnesty is recorded');
    case 'under-age': {
      const minimum = requestedLaw?.ageOfCriminalResponsibility ?? 0;
      return flag(
        request.subject.ageAtOffence < minimum,
        `the person was ${request.subject.ageAtOffence}, under the requested party's age of responsibility (${minimum})`,
        `the person was ${request.subject.ageAtOffence}, at or over the requested party's age of responsibility (${minimum})`,
      );
    }
    case 'political-offence':
      return flag(facts.politicalOffence, 'the offence is regarded as political', 'the offence is not regarded as political');
    case 'discrimination':
      return flag(facts.discriminationRisk, 'there are grounds to believe the request aims at persecution', 'no risk of persecution is recorded');
    case 'military-offence':
      return flag(facts.militaryOffence, 'the offence is purely military', 'the offence is not military');
    case 'fiscal-offence':
      return flag(facts.fiscalOffence, 'the offence is fiscal', 'the offence is not fiscal');
    case 'national-of-requested': {
      const national = request.subject.nationalities.includes(request.requested);
      return flag(national, `the person is a national of the requested party ${request.requested}`, `the person is not a national of the requested party ${request.requested}`);
    }
    case 'pending-proceedings':
      return flag(facts.pendingProceedings, 'proceedings for the same acts are pending in the requested party', 'no proceedings are pending in the requested party');
    case 'essential-interests':
      // A finding of the requested party alone: no filing claims it (Budapest art. 27(4)(b)).
      return flag(facts.essentialInterests === true, 'the requested party found that executing the request would prejudice its sovereignty, security, ordre public or other essential interests', 'no prejudice to the essential interests of the requested party is recorded');
    case 'death-penalty': {
      const capital = request.offences.filter((offence) => requestingLaw?.offences[offence]?.deathPenalty === true);
      return flag(capital.length > 0, `the requesting party's law provides the death penalty for ${capital.join(', ')}`, "the requesting party's law does not provide the death penalty for these offences");
    }
    default:
      return assertNever(test, 'ground test');
  }
}

/** Whether the requested party's own law bars the act (for grounds marked `onlyWhereLawBars`). */
export function lawBars(test: GroundTest, profile: LawProfile | undefined): { bars: boolean; detail: string } {
  if (test === 'national-of-requested') {
    const bars = profile !== undefined && !profile.extraditesNationals;
    return { bars, detail: bars ? `its law bars extraditing nationals (${profile.extraditesNationalsSource})` : 'its law does not bar extraditing nationals' };
  }
  return { bars: true, detail: 'no law-profile fact limits this ground' };
}
