import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { treatiesForStates, waitFor } from '@evenhand/testing';
import { loginAll, startGatewayStack, ROLES_OF, type GatewayStack, type Official } from './gateway-stack.ts';
import { random, Walk, type Act, type Case } from './walk-support.ts';

/**
 * Issue 11, "three or more states, everywhere": an exchange, the neutral witness CH and the
 * gateways of US, RU and TR over real HTTP, on one clock the test moves. Officials take random
 * acts their console lists (every one must succeed), a multilateral trade is cleared by the
 * exchange and carried out to completion, another is called off by the exchange at its
 * deadline, and at the end every case is driven to an ending through listed acts.
 *
 * The seed is printed; EVENHAND_WALK_SEED replays a walk, EVENHAND_WALK_STEPS lengthens it.
 */
const STATES = ['US', 'RU', 'TR'] as const;
const SEED = Number(process.env.EVENHAND_WALK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.EVENHAND_WALK_STEPS ?? 300);
const TOKEN = 'walk-operator-token-0123456789abcdef';
const OFFENCES = ['ransomware-extortion', 'computer-fraud', 'system-interference', 'laundering'];
const KINDS = ['extradition', 'extradition', 'extradition', 'preservation', 'traffic-disclosure', 'production', 'emergency-disclosure'];
const WEIGHT: Readonly<Record<string, number>> = { 'request.withdraw': 1, 'trade.abort': 1, 'request.consult': 2, 'request.extend': 2, 'request.decide': 12 };

describe(`a walk of ${STEPS} listed acts with three states over HTTP (seed ${SEED})`, { timeout: 1_500_000 }, () => {
  let stack: GatewayStack;
  let officials: Record<string, Record<string, Official>>;
  let walk: Walk;
  let clock = Math.floor(Date.now() / 1000);
  const rng = random(SEED);
  let filed = 0;

  before(async () => {
    process.stderr.write(`walk seed ${SEED} (EVENHAND_WALK_SEED=${SEED} replays it)\n`);
    // hotRecords 0: every service shelves each request record once an entry made it (server
    // replay/record-shelving.ts), so every act of the walk reads its case back from a shelf.
    stack = await startGatewayStack({ parties: [...STATES], now: () => clock, mirrorIntervalMs: 100, minPublishIntervalMs: 20, tradeExpiryTickMs: 100, operatorToken: TOKEN, sessionSeconds: 100 * 365 * 86_400, hotRecords: 0 });
    officials = await loginAll(stack);
    walk = new Walk(stack, officials, { now: () => clock, advance: (seconds) => void (clock += seconds) });
    // The treaty of US and RU, then Türkiye's accession by amendment: proposed, ratified by all three.
    const [first, ...amendments] = treatiesForStates(stack.keys, STATES, stack.witnessUrls);
    for (const treaty of [first!, ...amendments]) {
      assert.equal((await officials.US!['approver-1']!.call('POST', '/api/treaty/propose', { treaty })).status, 201);
      await stack.syncAll();
      for (const party of treaty.parties) {
        const ratified = await officials[party.id]!['approver-1']!.call('POST', '/api/treaty/ratify', { treaty: treaty.id, version: treaty.version });
        assert.equal(ratified.status, 201, JSON.stringify(ratified.body));
        await stack.syncAll();
      }
    }
    const policy = await (await fetch(`${stack.exchange.url}/policy`)).text();
    assert.match(policy, /group treaty-parties all US RU TR/, "TR's witness entered the quorum with the amendment");
  });
  after(async () => stack?.close());

  /** A clerk files a request; the gateway answers once its mirror holds it. */
  async function file(requesting: string, requested: string, nationality: string, offence: string, kind: string = 'extradition'): Promise<string> {
    const id = `${requesting}-W-${++filed}`;
    const offenceDate = new Date((clock - 200 * 86_400) * 1000).toISOString().slice(0, 10);
    const answer = await walk.call(requesting, 'clerk', 'POST', '/api/requests', { request: id, requested, kind, purpose: 'prosecution', subject: { pseudonym: `walk-${filed}`, nationalities: [nationality], ageAtOffence: 30 }, offences: [offence], offenceDate, statement: 'filed in the walk' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await stack.syncAll();
    return id;
  }

  /** Takes the listed act of `type` (and the variant `label`, if given) as `party` `role`. */
  async function takeListed(party: string, role: string, target: Case, type: string, label?: RegExp): Promise<void> {
    const act = (await walk.acts(party, role, target)).find((candidate) => candidate.type === type);
    if (!act) {
      const detail = await walk.call(party, role, 'GET', `/api/${target.kind}s/${encodeURIComponent(target.id)}`);
      assert.fail(`${party} ${role} is not offered ${type} on ${target.id}: ${JSON.stringify(detail.body.acts?.unavailable?.filter((each: { type: string }) => each.type === type))}`);
    }
    const variant = label ? act.variants.find((candidate) => label.test(candidate.label)) : act.variants[0];
    assert.ok(variant, `${type} on ${target.id} has no way ${label}: ${act.variants.map((each) => each.label).join(', ')}`);
    await walk.take(party, role, act, variant);
  }

  /** Three grants conditional on reciprocity around the cycle US → RU → TR → US, through listed acts. */
  async function reciprocalCycle(): Promise<string[]> {
    const ids: string[] = [];
    for (const [requesting, requested] of [['US', 'RU'], ['RU', 'TR'], ['TR', 'US']] as const) {
      const id = await file(requesting, requested, 'UA', 'ransomware-extortion');
      await takeListed(requested, 'reviewer', { kind: 'request', id }, 'request.acknowledge');
      await takeListed(requested, 'approver-1', { kind: 'request', id }, 'request.decide', /^grant on condition of reciprocity$/);
      ids.push(id);
    }
    return ids;
  }

  /** The exchange's clearing round, run by its operator: the trade it proposes over `legs`. */
  async function clearInto(legs: readonly string[]): Promise<string> {
    const round = await fetch(`${stack.exchange.url}/v1/clearing/run`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(round.status, 200, await round.text());
    await stack.syncAll();
    const trade = (await walk.publicTrades()).find((candidate) => legs.every((id) => candidate.legs.some((leg) => leg.request === id)));
    assert.ok(trade, `the clearing round proposed no trade over ${legs.join(', ')}`);
    assert.deepEqual([...trade.parties].sort(), ['RU', 'TR', 'US'], 'a multilateral trade among the three states');
    assert.equal(trade.coordinator, 'exchange');
    return trade.id;
  }

  it('clears a three-state cycle into a trade that two approvers of each state sign, and carries it out to completion', async () => {
    const legs = await reciprocalCycle();
    const trade = await clearInto(legs);
    const target: Case = { kind: 'trade', id: trade };
    for (const state of STATES) await takeListed(state, 'approver-1', target, 'trade.sign');
    assert.equal(await walk.status(target), 'committed', 'the last signature committed it');
    // The exchange coordinates but attests nothing: each giver records its handover, each receiver confirms.
    for (const state of STATES) await takeListed(state, 'reviewer', target, 'trade.surrender');
    for (const state of STATES) await takeListed(state, 'clerk', target, 'trade.confirm-receipt');
    assert.equal(await walk.status(target), 'completed');
    for (const id of legs) assert.equal(await walk.status({ kind: 'request', id }), 'received');
  });

  it('calls off, on the exchange schedule, a committed trade whose deadline passes unfinished, and releases its legs', async () => {
    const legs = await reciprocalCycle();
    const trade = await clearInto(legs);
    const target: Case = { kind: 'trade', id: trade };
    for (const state of STATES) await takeListed(state, 'approver-2', target, 'trade.sign');
    assert.equal(await walk.status(target), 'committed');
    await takeListed('US', 'reviewer', target, 'trade.surrender');
    const deadline = (await walk.publicTrades()).find((candidate) => candidate.id === trade)!.deadline;
    await walk.advance(deadline + 1 - clock);
    const ended = (await walk.publicTrades()).find((candidate) => candidate.id === trade)!;
    assert.equal(ended.status, 'aborted');
    assert.equal((ended as unknown as { abortedBy: string }).abortedBy, 'exchange');
    // The legs not handed over are free again, back in their own lifecycle; US's handover stands.
    const statuses = [];
    for (const id of legs) statuses.push(await walk.status({ kind: 'request', id }));
    // Legs: US-W (RU gives), RU-W (TR gives), TR-W (US gives, and did).
    assert.deepEqual(statuses, ['granted-conditional', 'granted-conditional', 'surrendered']);
    assert.deepEqual((await walk.acts('US', 'approver-1', { kind: 'request', id: legs[0]! })).map((act) => act.type), ['request.withdraw']);
  });

  it(`takes ${STEPS} random acts that the consoles list, each by a random official of the right role and state; every one succeeds`, async () => {
    let steps = 0;
    let attempts = 0;
    while (steps < STEPS && attempts < STEPS * 20) {
      attempts += 1;
      const roll = rng.next();
      if (roll < 0.07) {
        const requesting = rng.pick(STATES);
        const requested = rng.pick(STATES.filter((state) => state !== requesting));
        // Persons most often, and every kind of request for data (issue 17).
        await file(requesting, requested, rng.pick([requested, requesting, 'UA']), rng.pick(OFFENCES), rng.pick(KINDS));
        continue;
      }
      if (roll < 0.11) {
        await walk.advance((1 + rng.int(20)) * 86_400);
        continue;
      }
      if (roll < 0.13) {
        const round = await fetch(`${stack.exchange.url}/v1/clearing/run`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(round.status, 200, await round.text());
        await stack.syncAll();
        continue;
      }
      const open = await walk.openCases();
      if (open.length === 0) continue;
      const { target, parties } = rng.pick(open);
      // Every official of the case's states who is offered something, each with the acts offered.
      const offers: { party: string; role: string; act: Act }[] = [];
      for (const party of parties) for (const role of ROLES_OF) for (const act of await walk.acts(party, role, target)) offers.push({ party, role, act });
      if (offers.length === 0) continue;
      // Withdrawals and call-offs end cases, and consultations can repeat: drawn rarely, and
      // decisions often, so that cases go deep (refusals, prosecutions, surrenders, trades).
      const { party, role, act } = rng.pick(offers.flatMap((offer) => Array<typeof offer>(WEIGHT[offer.act.type] ?? 6).fill(offer)));
      await walk.take(party, role, act, rng.pick(act.variants));
      steps += 1;
    }
    assert.equal(steps, STEPS, `only ${steps} acts were offered in ${attempts} attempts`);
    process.stderr.write(`walk seed ${SEED}: ${steps} acts, ${filed} requests filed; acts by type: ${JSON.stringify(Object.fromEntries([...walk.taken].sort()))}\n`);
  });

  it('then drives every open request and trade to an ending through listed acts', async () => {
    // Trades first: a committed trade holds its legs until it ends.
    for (let round = 0; round < 3; round++) {
      const open = await walk.openCases();
      if (open.length === 0) break;
      open.sort((a, b) => (a.target.kind === b.target.kind ? 0 : a.target.kind === 'trade' ? -1 : 1));
      for (const { target, parties } of open) await walk.driveToEnding(target, parties, ROLES_OF);
    }
    assert.deepEqual(await walk.openCases(), [], 'every case has ended');
    // Every gateway agrees with the exchange on the log and its figures.
    await waitFor('every mirror at the head', async () => {
      await stack.syncAll();
      return [...stack.gateways.values()].every((gateway) => gateway.gateway.mirror.size === stack.exchange.sequencer.size);
    });
    // The walk read its records and its figure index's nodes back from the shelves: the exchange's and every gateway's.
    assert.ok(stack.exchange.sequencer.shelvedRecords >= filed, `the exchange shelved ${stack.exchange.sequencer.shelvedRecords} records for ${filed} filings`);
    for (const [party, gateway] of stack.gateways) assert.ok(gateway.gateway.mirror.shelvedRecords >= filed, `gateway ${party} shelved ${gateway.gateway.mirror.shelvedRecords} records for ${filed} filings`);
    assert.ok(stack.exchange.sequencer.shelvedBagNodes > 0, 'the exchange shelved no node of its figure index');
    for (const [party, gateway] of stack.gateways) assert.ok(gateway.gateway.mirror.shelvedBagNodes > 0, `gateway ${party} shelved no node of its figure index`);
  });
});
