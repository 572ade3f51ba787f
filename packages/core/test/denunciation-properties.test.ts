import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apply, denunciationOf, getRequest, listRequests, mirrorLawProfiles, mirrorParties, type AnyDomainEntry, type State, type Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { authors, driveToEnding, filing, openTargets } from './legal-acts-support.ts';
import { assertListedApply, OFFENCES, walk } from './legal-acts-walk.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, run } from './request-helpers.ts';

/**
 * Issue 17, properties of leaving the treaty: (1) swapping the two parties, and their law
 * profiles, mirrors every outcome of a history in which one of them leaves; (2) from any
 * generated history, once a party has left, every listed act applies, nothing new is filed by
 * or to it, and every case still open reaches an ending through listed acts.
 */

type Step =
  | { readonly t: 'file'; readonly from: 0 | 1; readonly nationality: 0 | 1 | 2; readonly offence: number }
  | { readonly t: 'wait'; readonly days: number }
  | { readonly t: 'denounce'; readonly by: 0 | 1 }
  | { readonly t: 'act'; readonly request: number; readonly act: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('file' as const), from: fc.constantFrom(0 as const, 1 as const), nationality: fc.constantFrom(0 as const, 1 as const, 2 as const), offence: fc.nat() }),
  fc.record({ t: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ t: fc.constant('denounce' as const), by: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ t: fc.constant('act' as const), request: fc.nat(), act: fc.nat() }),
);

/** The entry an act step writes on request `id`, given its two parties. */
function actEntry(id: string, requesting: string, requested: string, act: number, now: number): AnyDomainEntry {
  const ref = { request: id };
  switch (act % 8) {
    case 0:
      return entry(requested, now, 'request.acknowledge', ref);
    case 1:
      return entry(requested, now, 'request.decide', { ...ref, decision: 'grant', approvers: APPROVERS });
    case 2:
      return entry(requested, now, 'request.consult', { ...ref, ground: 'nationality' });
    case 3:
      return entry(requested, now, 'request.decide', { ...ref, decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS });
    case 4:
      return entry(requested, now, 'request.schedule-surrender', { ...ref, date: new Date(now * 1000).toISOString().slice(0, 10) });
    case 5:
      return entry(requested, now, 'request.surrender', ref);
    case 6:
      return entry(requesting, now, 'request.confirm-receipt', ref);
    default:
      return entry(requesting, now, 'request.withdraw', { ...ref, sealed: REASONS });
  }
}

/** Runs the script with party A as `a` and B as `b`: every entry's outcome, and what the state ends as. */
function play(treaty: Treaty, a: string, b: string, steps: readonly Step[]) {
  const party = (which: 0 | 1) => (which === 0 ? a : b);
  let state: State = run(adoption(treaty));
  let now = day(0);
  let filed = 0;
  const outcomes: unknown[] = [];
  for (const item of steps) {
    let written: AnyDomainEntry | undefined;
    if (item.t === 'wait') now += item.days * 86_400;
    else if (item.t === 'denounce') written = entry(party(item.by), now, 'treaty.denounce', { treaty: treaty.id });
    else if (item.t === 'file') {
      const requesting = party(item.from);
      const requested = party(item.from === 0 ? 1 : 0);
      const nationality = [requesting, requested, 'UA'][item.nationality]!;
      written = entry(requesting, now, 'request.file', fileBody(`R${filed}`, { requested, subject: { pseudonym: `p-${filed}`, nationalities: [nationality], ageAtOffence: 30 }, offences: [OFFENCES[item.offence % OFFENCES.length]!] }));
      filed += 1;
    } else if (filed > 0) {
      const record = getRequest(state, `R${item.request % filed}`);
      if (record) written = actEntry(record.id, record.view.requesting, record.view.requested, item.act, now);
    }
    if (!written) continue;
    const result = apply(state, written);
    outcomes.push(result.ok ? 'ok' : result.error);
    if (result.ok) state = result.value;
  }
  const requests = listRequests(state).map((record) => ({ id: record.id, status: record.status, requesting: record.view.requesting, requested: record.view.requested, decision: record.decision?.kind }));
  return { outcomes, requests, denunciations: [a, b].map((each) => denunciationOf(state, each)) };
}

describe('leaving the treaty: properties (issue 17)', () => {
  it('swapping the parties and their law profiles mirrors every outcome of a history in which one leaves', () => {
    const treaty = treaty2021();
    // How many histories had a filing refused because a party had left: the property is tried there.
    let refusedAfterLeaving = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 40 }), (steps) => {
        const straight = play(treaty, 'US', 'RU', steps);
        const swapped = play(mirrorLawProfiles(treaty, 'US', 'RU'), 'RU', 'US', steps);
        assert.deepEqual(mirrorParties(swapped, 'US', 'RU'), straight);
        if (straight.outcomes.some((outcome) => (outcome as { code?: string }).code === 'TREATY_DENOUNCED')) refusedAfterLeaving += 1;
      }),
      { numRuns: 150, seed: 1717 },
    );
    assert.ok(refusedAfterLeaving >= 15, `only ${refusedAfterLeaving} histories reached a refusal after a party left`);
  });

  it('once a party has left, listed acts apply, nothing new is filed by or to it, and every open case reaches an ending', () => {
    let leftWithOpenCases = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 30, maxLength: 120 }), fc.nat(), (count, steps, who) => {
        const { state: walked, now } = walk(count, steps);
        const parties = walked.treaty!.parties.map((party) => party.id);
        const leaving = parties[who % count]!;
        const noticed = apply(walked, entry(leaving, now, 'treaty.denounce', { treaty: walked.treaty!.id }));
        assert.ok(noticed.ok, noticed.ok ? '' : noticed.error.message);
        const at = denunciationOf(noticed.value, leaving)!.effectiveAt;
        let state = noticed.value;
        const other = parties.find((party) => party !== leaving)!;
        for (const [from, to] of [[leaving, other], [other, leaving]] as const) {
          const refusal = apply(state, filing(`new-${from}`, from, to, 'UA', at, 'ransomware-extortion'));
          assert.equal(refusal.ok ? 'ok' : refusal.error.code, 'TREATY_DENOUNCED', `a filing from ${from} to ${to} after ${leaving} left`);
        }
        const targets = openTargets(state);
        if (targets.length > 0) leftWithOpenCases += 1;
        for (const target of targets) for (const party of authors(state)) assertListedApply(state, party, target, at);
        let time = at;
        for (const target of targets.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'trade' ? -1 : 1))) {
          ({ state, now: time } = driveToEnding(state, target, time));
        }
        assert.deepEqual(openTargets(state), []);
      }),
      { numRuns: 30, seed: 20260617 },
    );
    assert.ok(leftWithOpenCases >= 10, `only ${leftWithOpenCases} histories had cases open when a party left`);
  });
});
