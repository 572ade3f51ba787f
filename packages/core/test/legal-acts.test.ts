import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  apply, getRequest, isoTime, legalActs, listRequests, listTrades, REQUEST_ACT_TYPES, TRADE_ACT_TYPES, type ActTarget, type AnyDomainEntry, type EntryType, type State,
} from '../src/index.ts';
import { adopted, authors, driveToEnding, filing, openTargets, walkTreaty } from './legal-acts-support.ts';
import { assertListedApply, walk } from './legal-acts-walk.ts';
import { APPROVERS, day, entry, REASONS } from './request-helpers.ts';

/**
 * Issue 11, "legal acts come from the core": over generated histories with 2 to 4 states,
 * (1) every act `legalActs` lists applies, (2) every entry type that would apply for a party
 * is listed, and (3) from every reachable state every open request and trade reaches an
 * ending through listed acts.
 */

const GROUNDS = ['nationality', 'political-offence', 'pending-proceedings', 'lapse-of-time', 'ne-bis-in-idem', 'death-penalty', 'not-extraditable', 'fiscal'];
const pickFrom = <T>(values: readonly T[], draw: number): T => values[draw % values.length]!;

/** A plausible body of `type` for `target`, from a few draws: the space an official's form could produce. */
function randomBody(type: EntryType, target: ActTarget, now: number, draw: number): Record<string, unknown> {
  const ref = target.kind === 'request' ? { request: target.id } : { trade: target.id };
  const bit = (n: number) => Math.floor(draw / 2 ** n) % 2 === 1;
  const sealed = bit(0) ? { sealed: REASONS } : {};
  switch (type) {
    case 'request.decide':
      return {
        ...ref,
        decision: pickFrom(['grant', 'grant-conditional', 'refuse', 'refuse-prosecute'], draw >> 1),
        ...(bit(3) ? { ground: pickFrom(GROUNDS, draw >> 4) } : {}),
        ...(bit(7) ? { assurances: ['no-death-penalty'] } : {}),
        onReciprocity: bit(8),
        findings: bit(9) ? { politicalOffence: true } : {},
        approvers: APPROVERS,
        ...sealed,
      };
    case 'request.consult':
      return { ...ref, ground: pickFrom(GROUNDS.slice(0, 6), draw >> 1), ...sealed };
    case 'request.assure':
      return { ...ref, assurances: ['no-death-penalty'] };
    case 'request.schedule-surrender':
      return { ...ref, date: isoTime(now + ((draw % 5) - 1) * 86_400).slice(0, 10) };
    case 'prosecution.milestone':
      return { ...ref, milestone: pickFrom(['opened', 'charged', 'tried', 'verdict', 'sentence', 'progress'], draw >> 1) };
    case 'prosecution.outcome':
      return { ...ref, outcome: pickFrom(['convicted', 'acquitted', 'discontinued'], draw >> 1) };
    case 'request.extend':
    case 'request.withdraw':
      return { ...ref, ...sealed };
    case 'trade.sign':
    case 'trade.commit':
      return { ...ref, approvers: APPROVERS };
    case 'trade.attest':
      return { ...ref, leg: draw % 3, identity: true, health: true };
    case 'trade.surrender':
    case 'trade.confirm-receipt':
      return { ...ref, leg: draw % 3 };
    default:
      return ref;
  }
}

describe('legal acts (issue 11)', () => {
  it('lists, over generated histories with 2 to 4 states, acts that apply, every type that applies, and a way to every ending', () => {
    // What the walks reached, so that the property is known to have been tried on deep cases.
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 40, maxLength: 160 }), (count, steps) => {
        const { state, now, draws } = walk(count, steps);
        for (const record of listRequests(state)) reached.add(`request ${record.status}`);
        for (const trade of listTrades(state.trades)) reached.add(`trade ${trade.status}`);
        const targets = openTargets(state);
        // (1) and (2) at the walk's end, for every open case and every author.
        for (const target of targets) {
          for (const party of authors(state)) {
            assertListedApply(state, party, target, now);
            const listed = new Set(legalActs(state, { party }, now, target).available.map((act) => act.type));
            const types: readonly EntryType[] = target.kind === 'request' ? REQUEST_ACT_TYPES : TRADE_ACT_TYPES;
            for (const type of types) {
              for (let k = 0; k < 6; k++) {
                const draw = (draws[(k + type.length) % draws.length] ?? 0) * 7 + k * 131;
                const body = randomBody(type, target, now, draw);
                const result = apply(state, { author: party, time: now, type, body } as AnyDomainEntry);
                if (result.ok) assert.ok(listed.has(type), `${type} by ${party} on ${target.id} applies (${JSON.stringify(body)}) but is not listed`);
              }
            }
          }
        }
        // (3) every open case reaches an ending; trades first, since they hold their legs.
        let current = state;
        let time = now;
        for (const target of targets.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'trade' ? -1 : 1))) {
          ({ state: current, now: time } = driveToEnding(current, target, time));
        }
        assert.deepEqual(openTargets(current), []);
      }),
      { numRuns: 60, seed: 20261130 },
    );
    for (const status of ['request received', 'request refused-prosecute-instead', 'request surrender-scheduled', 'request info-requested', 'trade committed', 'trade completed', 'trade aborted']) {
      assert.ok(reached.has(status), `no walk reached ${status}; the walks are too shallow to test the property there`);
    }
  });
});

describe('legal acts on the 2021 cases', () => {
  const treaty = walkTreaty(2);
  const base = [filing('US-1', 'US', 'RU', 'RU', day(0), 'ransomware-extortion'), filing('RU-1', 'RU', 'US', 'UA', day(0), 'computer-fraud')];
  const filed = base.reduce((state, item) => {
    const result = apply(state, item);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }, adopted(treaty));
  const acts = (state: State, party: string, role: 'clerk' | 'reviewer' | 'approver' | 'observer' | undefined, id: string, now = day(1)) => legalActs(state, { party, role }, now, { kind: 'request', id });
  const step = (state: State, ...items: AnyDomainEntry[]) =>
    items.reduce((current, item) => {
      const result = apply(current, item);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    }, state);

  it('a reviewer of the requested party sees what a new request allows, acknowledgement first, and nothing of the surrender', () => {
    const listed = acts(filed, 'RU', 'reviewer', 'US-1').available;
    assert.equal(listed[0]?.type, 'request.acknowledge');
    assert.deepEqual(listed[0]?.discharges && [listed[0].discharges.kind, listed[0].discharges.due], ['acknowledge', day(10)]);
    assert.ok(!listed.some((act) => act.type === 'request.surrender' || act.type === 'request.decide'));
    const unavailable = acts(filed, 'RU', 'reviewer', 'US-1').unavailable;
    assert.match(unavailable.find((act) => act.type === 'request.surrender')?.code ?? '', /ILLEGAL_TRANSITION/);
    assert.equal(unavailable.find((act) => act.type === 'request.decide')?.code, 'ILLEGAL_TRANSITION', 'deciding needs an acknowledged request');
    // Once acknowledged, acknowledging is gone; an observer takes nothing; the requesting party's reviewer nothing of RU's.
    const acknowledged = step(filed, entry('RU', day(1), 'request.acknowledge', { request: 'US-1' }));
    assert.ok(!acts(acknowledged, 'RU', 'reviewer', 'US-1').available.some((act) => act.type === 'request.acknowledge'));
    assert.deepEqual(acts(acknowledged, 'RU', 'observer', 'US-1').available, []);
    assert.ok(acts(acknowledged, 'RU', 'observer', 'US-1').unavailable.some((act) => act.code === 'ROLE_NOT_PERMITTED'));
    assert.ok(acts(acknowledged, 'US', 'reviewer', 'US-1').available.every((act) => act.type !== 'request.ask-info'));
  });

  it('a refusal inside the consultation window is listed with the day it becomes possible; without a consultation it is not listed, with the article', () => {
    const acknowledged = step(filed, entry('RU', day(1), 'request.acknowledge', { request: 'US-1' }));
    const before = acts(acknowledged, 'RU', 'approver', 'US-1');
    assert.ok(!before.available.find((act) => act.type === 'request.decide')?.variants.some((variant) => variant.params.ground === 'nationality'));
    const why = before.unavailable.find((act) => act.type === 'request.decide' && act.label.includes('nationality'));
    assert.equal(why?.code, 'CONSULTATION_REQUIRED');
    assert.match(why?.message ?? '', /UNTOC art\. 16\(16\)/);
    const consulted = step(acknowledged, entry('RU', day(2), 'request.consult', { request: 'US-1', ground: 'nationality' }));
    const refusal = acts(consulted, 'RU', 'approver', 'US-1', day(3)).available.find((act) => act.type === 'request.decide')?.variants.find((variant) => variant.params.ground === 'nationality');
    assert.deepEqual(refusal && [refusal.params.decision, refusal.availableFrom], ['refuse-prosecute', day(17)]);
    assert.equal(acts(consulted, 'RU', 'approver', 'US-1', day(17)).available.find((act) => act.type === 'request.decide')?.variants.find((variant) => variant.params.ground === 'nationality')?.availableFrom, undefined);
    // The requesting party's answer discharges its obligation and ends the wait at once.
    assert.equal(acts(consulted, 'US', 'clerk', 'US-1', day(3)).available[0]?.discharges?.kind, 'reply-to-consultation');
  });

  it('an open request for information shows the decision as paused, and answering it comes first for the requesting clerk', () => {
    const asked = step(filed, entry('RU', day(1), 'request.acknowledge', { request: 'US-1' }), entry('RU', day(5), 'request.ask-info', { request: 'US-1' }));
    const decide = acts(asked, 'RU', 'approver', 'US-1', day(20)).available.find((act) => act.type === 'request.decide');
    assert.deepEqual(decide?.discharges && [decide.discharges.pausedSince, decide.discharges.due], [day(5), day(75)]);
    assert.deepEqual(acts(asked, 'US', 'clerk', 'US-1', day(20)).available.map((act) => act.type), ['request.supply-info']);
    assert.equal(getRequest(asked, 'US-1')?.status, 'info-requested');
  });
});
