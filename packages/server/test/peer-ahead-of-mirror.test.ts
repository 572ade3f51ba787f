import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adoption, filing, hostileWorld, type HostileWorld } from './hostile-operator.ts';
import type { ServedLog } from './fake-log.ts';

/**
 * Issue 12, "split views across parties", while a signing round is in flight (the sustained
 * benchmark's incident under load): the exchange has signed a larger tree and offered it to the
 * witnesses; RU's witness cosigned it, US's has not been asked yet or is still queued; US's
 * gateway compares views with RU's witness and reaches that tree before its own witness does.
 * Every service runs on a fixed injected clock, and each step is driven by hand (one `tick` is
 * one round of the gateway), so nothing here depends on how fast the machine is.
 */
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const ALARMS_OF_A_FORK = ['ENTRY_TIME_INVALID', 'INCONSISTENT', 'SPLIT_VIEW'];

/** What an exchange serves while a round is in flight: its last published checkpoint, and the tiles of the larger tree it signed. */
function inFlight(published: ServedLog, offered: ServedLog): ServedLog {
  return { ...published, tiles: new Map([...published.tiles, ...offered.tiles]) };
}

function codes(world: HostileWorld, party: string): string[] {
  return world.gateway(party).gateway!.alarms.list().map((alarm) => alarm.code);
}

function messages(world: HostileWorld, party: string): string {
  return JSON.stringify(world.gateway(party).gateway!.alarms.list().map((alarm) => [alarm.code, alarm.message]));
}

/** US's and RU's gateways on fixed clocks, both following a published log of 4 entries cosigned by CH, US and RU. */
async function publishedWorld(clocks: { US: () => number; RU: () => number }): Promise<{ world: HostileWorld; published: ServedLog }> {
  const world = await hostileWorld();
  for (const party of ['US', 'RU'] as const) await world.open(party, { now: clocks[party] });
  let published = world.build([...adoption(world.treaty, T - 100), filing('US-1', 'US', 'RU', T - 60)], { time: T });
  published = await world.cosignedBy('US', published);
  published = await world.cosignedBy('RU', published);
  for (const party of ['US', 'RU']) world.show(party, published);
  await world.gateway('US').gateway!.tick();
  assert.equal(world.gateway('US').gateway!.mirror.verified?.checkpoint.size, 4, `US verified the published log (${messages(world, 'US')})`);
  return { world, published };
}

describe('a peer witness cosigned a tree the exchange has signed but not yet published', () => {
  let world: HostileWorld;
  let published: ServedLog;

  before(async () => {
    ({ world, published } = await publishedWorld({ US: () => T, RU: () => T }));
  });
  after(async () => world?.close());

  it('US reaches the tree through the comparison without an alarm, and its witness then cosigns it', async () => {
    const us = world.gateway('US').gateway!;
    // The next round: two honest entries dated before every clock, the tree signed by the log
    // and cosigned by CH; RU's witness cosigns it (its gateway follows the same exchange).
    const offered = world.build([...adoption(world.treaty, T - 100), filing('US-1', 'US', 'RU', T - 60), filing('RU-1', 'RU', 'US', T - 30), filing('US-2', 'US', 'RU', T - 20)], { time: T });
    const ruCosigned = await world.cosignedBy('RU', offered, 4);
    // US's exchange still publishes size 4 and serves the tiles of size 6; US's witness is not asked yet.
    world.show('US', inFlight(published, offered));

    await us.tick();
    assert.deepEqual(codes(world, 'US').filter((code) => ALARMS_OF_A_FORK.includes(code)), [], `no alarm: the tree is honest (${messages(world, 'US')})`);
    assert.equal(us.mirror.halted, undefined, 'the mirror goes on');
    assert.equal(us.mirror.size, 6, "the comparison brought the mirror to RU's tree, verified from the exchange's tiles");
    assert.equal(us.mirror.verified?.checkpoint.size, 4, 'the verified checkpoint is still the published one');

    // The round goes on: US's witness is asked, agrees, and the checkpoint is published with the quorum.
    const complete = await world.cosignedBy('US', ruCosigned, 4);
    world.show('US', complete);
    await us.tick();
    assert.equal(us.mirror.verified?.checkpoint.size, 6, `US verified the new checkpoint (${messages(world, 'US')})`);
    assert.deepEqual(codes(world, 'US').filter((code) => ALARMS_OF_A_FORK.includes(code)), [], messages(world, 'US'));
  });
});

describe("a peer witness cosigned a tree with an entry dated beyond this gateway's clock and the skew", () => {
  let world: HostileWorld;
  let published: ServedLog;
  let ruClock = T;

  before(async () => {
    ({ world, published } = await publishedWorld({ US: () => T, RU: () => ruClock }));
  });
  after(async () => world?.close());

  it('US raises ENTRY_TIME_INVALID and stops; later rounds do not turn the stop into SPLIT_VIEW', async () => {
    const us = world.gateway('US').gateway!;
    // RU's clock runs 200 s ahead (within the skew), so its witness accepts an entry dated 450 s
    // after US's clock; for US the entry is 150 s beyond the treaty's skew of 300 s.
    ruClock = T + 200;
    const offered = world.build([...adoption(world.treaty, T - 100), filing('US-1', 'US', 'RU', T - 60), filing('RU-1', 'RU', 'US', T + 450)], { time: T + 200 });
    await world.cosignedBy('RU', offered, 4);
    world.show('US', inFlight(published, offered));

    await us.tick();
    const raised = us.alarms.list().find((alarm) => alarm.code === 'ENTRY_TIME_INVALID');
    assert.ok(raised, `ENTRY_TIME_INVALID raised (${messages(world, 'US')})`);
    assert.match(raised.message, /ENTRY_TIME_AFTER_WITNESSED: entry 4: time: it says 2026-01-01T00:07:30Z/);
    assert.ok(us.mirror.halted, 'the mirror stopped');
    assert.ok(!codes(world, 'US').includes('SPLIT_VIEW'), messages(world, 'US'));

    // Two more rounds: the stop is reported by each sync, but a stopped mirror compares nothing
    // with RU's witness, so it accuses no one of showing the parties different histories.
    for (let round = 0; round < 2; round++) await us.tick();
    assert.ok(codes(world, 'US').includes('ENTRY_TIME_INVALID'), messages(world, 'US'));
    assert.ok(!codes(world, 'US').includes('SPLIT_VIEW'), `no SPLIT_VIEW from a stopped mirror (${messages(world, 'US')})`);
  });
});
