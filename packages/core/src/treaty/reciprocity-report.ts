import type { LawProfile, Treaty } from './schema.ts';

/** One asymmetry between two parties' law profiles, and what the treaty makes of it. */
export interface Asymmetry {
  readonly topic: string;
  readonly parties: readonly [string, string];
  readonly fact: string;
  readonly effect: string;
}

/**
 * The rules are symmetric, but the facts they read are not: each state's law differs. This
 * report lists every difference between two parties' law profiles and its effect under the
 * treaty, including what mirrored grounds make of it (DESIGN.md "reciprocity report").
 */
export function reciprocityReport(treaty: Treaty): Asymmetry[] {
  const report: Asymmetry[] = [];
  const ids = treaty.parties.map((party) => party.id);
  ids.forEach((a, i) =>
    ids.slice(i + 1).forEach((b) => {
      const profileA = treaty.lawProfiles[a];
      const profileB = treaty.lawProfiles[b];
      if (profileA && profileB) report.push(...comparePair(treaty, [a, profileA], [b, profileB]));
    }),
  );
  return report;
}

type Side = [string, LawProfile];

function comparePair(treaty: Treaty, [a, lawA]: Side, [b, lawB]: Side): Asymmetry[] {
  const out: Asymmetry[] = [];
  const parties = [a, b] as const;

  if (lawA.extraditesNationals !== lawB.extraditesNationals) {
    const [barring, barringLaw, other] = lawA.extraditesNationals ? [b, lawB, a] : [a, lawA, b];
    out.push({ topic: 'nationals', parties, fact: `${barring} does not extradite its nationals (${barringLaw.extraditesNationalsSource}); ${other} does`, effect: nationalityEffect(treaty, barring, other) });
  }

  if (lawA.ageOfCriminalResponsibility !== lawB.ageOfCriminalResponsibility) {
    const [younger, older] = lawA.ageOfCriminalResponsibility < lawB.ageOfCriminalResponsibility ? [[a, lawA], [b, lawB]] as const : [[b, lawB], [a, lawA]] as const;
    out.push({
      topic: 'age',
      parties,
      fact: `age of criminal responsibility: ${younger[0]} ${younger[1].ageOfCriminalResponsibility} (${younger[1].ageSource}), ${older[0]} ${older[1].ageOfCriminalResponsibility} (${older[1].ageSource})`,
      effect: `a person aged ${ageRange(younger[1].ageOfCriminalResponsibility, older[1].ageOfCriminalResponsibility - 1)} at the offence must be refused by ${older[0]} but not by ${younger[0]} (the age ground reads the requested party's law)`,
    });
  }

  const categories = treaty.offences.map((offence) => offence.id);
  const minimum = treaty.extraditability.minimumMaxPenaltyMonths;
  for (const offence of categories) {
    const penaltyA = lawA.offences[offence];
    const penaltyB = lawB.offences[offence];
    if (!penaltyA || !penaltyB) {
      if (penaltyA || penaltyB) {
        const missing = penaltyA ? b : a;
        out.push({ topic: `offence:${offence}`, parties, fact: `${offence} is not an offence in ${missing} law`, effect: 'not extraditable in either direction (dual criminality), so the gap binds both parties alike' });
      }
      continue;
    }
    const below = [[a, penaltyA] as const, [b, penaltyB] as const].filter(([, penalty]) => penalty.maxPenaltyMonths < minimum);
    if (below.length === 1) {
      const [party, penalty] = below[0]!;
      out.push({ topic: `offence:${offence}`, parties, fact: `${party} punishes ${offence} by at most ${penalty.maxPenaltyMonths} months (${penalty.source}), under the ${minimum}-month minimum`, effect: 'not extraditable in either direction for prosecution, since both laws must meet the minimum' });
    }
    if (penaltyA.deathPenalty !== penaltyB.deathPenalty) {
      const capital = penaltyA.deathPenalty ? a : b;
      out.push({ topic: `death-penalty:${offence}`, parties, fact: `${capital} law provides the death penalty for ${offence}`, effect: `requests from ${capital} for ${offence} may be refused unless ${capital} gives the assurances the treaty names` });
    }
  }

  const limitA = describeLimitation(lawA);
  const limitB = describeLimitation(lawB);
  if (limitA !== limitB) {
    out.push({ topic: 'limitation', parties, fact: `limitation: ${a} ${limitA} (${lawA.limitationSource}); ${b} ${limitB} (${lawB.limitationSource})`, effect: 'lapse of time is tested under both laws (ECE art. 10), so the shorter period binds both directions' });
  }
  return out;
}

function ageRange(from: number, to: number): string {
  return from === to ? `${from}` : `${from} to ${to}`;
}

function describeLimitation(profile: LawProfile): string {
  return profile.limitation.map((step) => (step.maxPenaltyUpToMonths === undefined ? `${step.years} y otherwise` : `${step.years} y up to ${step.maxPenaltyUpToMonths} months`)).join(', ');
}

function nationalityEffect(treaty: Treaty, barring: string, other: string): string {
  const grounds = treaty.grounds.filter((ground) => ground.test === 'national-of-requested');
  if (grounds.length === 0) return 'the treaty has no nationality ground, so both parties must extradite nationals';
  const parts: string[] = [];
  for (const ground of grounds) {
    if (!ground.onlyWhereLawBars) {
      parts.push(`both parties may refuse their own nationals on "${ground.id}"`);
      continue;
    }
    parts.push(`${barring} may refuse ${barring} nationals to ${other} on "${ground.id}"`);
    if (treaty.extraditeOrProsecute.grounds.includes(ground.id)) parts.push(`but must then prosecute them itself (${treaty.extraditeOrProsecute.article});`);
    if (treaty.reciprocity.mirroredGrounds.includes(ground.id)) {
      const scope = treaty.reciprocity.mirroredScope === 'invoked-party' ? `against ${other}` : 'against any party';
      parts.push(`and under mirrored grounds (${treaty.reciprocity.mirroredArticle}), once ${barring} invokes it ${scope}, ${other} may refuse ${other} nationals to ${barring}`);
    } else {
      parts.push(`but "${ground.id}" is not mirrored, so ${other} may not answer in kind`);
    }
  }
  return parts.join(' ');
}
