import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseCheckpoint, parseNote, verifierOf, verifyConsistency } from '@evenhand/log';
import { adoption, filing, hostileWorld, type HostileWorld } from './hostile-operator.ts';

/**
 * Issue 12, "split views across parties": the operator shows US one history and RU another,
 * both signed by the log key. Each gateway's witness cosigns what it was shown; neither view
 * reaches the quorum, which alone would read as a party being offline. Each gateway then
 * fetches the other's latest cosigned checkpoint and finds it inconsistent with its own: both
 * raise SPLIT_VIEW and keep the two signed notes, which prove the fork to anyone.
 */
describe('split views across parties: the exchange shows US one history and RU another', () => {
  let world: HostileWorld;
  const now = Math.floor(Date.now() / 1000);

  before(async () => {
    world = await hostileWorld();
    // Two honest entries; each party is shown only one of them after the shared prefix.
    const opening = adoption(world.treaty, now - 100);
    const usFiling = filing('US-SPLIT', 'US', 'RU', now - 50);
    const ruFiling = filing('RU-SPLIT', 'RU', 'US', now - 50);
    for (const party of ['US', 'RU']) await world.open(party);
    world.show('US', await world.cosignedBy('US', world.build([...opening, usFiling])));
    world.show('RU', await world.cosignedBy('RU', world.build([...opening, ruFiling])));
  });
  after(async () => world?.close());

  it('each gateway, shown its own history, misses the quorum; comparing with the other witness, both raise SPLIT_VIEW with both notes', async () => {
    for (const party of ['US', 'RU']) await world.gateway(party).gateway!.tick();
    for (const party of ['US', 'RU']) {
      const { alarms } = world.gateway(party).gateway!;
      const split = alarms.list().find((alarm) => alarm.code === 'SPLIT_VIEW');
      assert.ok(split, `${party} raised SPLIT_VIEW (${JSON.stringify(alarms.list().map((alarm) => [alarm.code, alarm.message]))})`);
      const other = party === 'US' ? 'RU' : 'US';
      assert.match(split.message, new RegExp(`${other}'s witness cosigned a tree of size 4 that the exchange does not show this state`));
      // The evidence: two checkpoints of the same size, both signed by the log key, with different roots.
      const notes = [split.evidence?.[`${other}-cosigned`], split.evidence?.own].map((note) => {
        const opened = parseNote(note ?? '');
        assert.ok(opened.ok);
        const checkpoint = parseCheckpoint(opened.value.text);
        assert.ok(checkpoint.ok);
        return checkpoint.value;
      });
      assert.equal(notes[0]!.size, notes[1]!.size);
      assert.equal(verifyConsistency(notes[0]!.size, notes[1]!.size, [], notes[0]!.root, notes[1]!.root).ok, false, 'one log cannot have both');
      assert.ok(alarms.has('QUORUM_MISSING'), `${party} also misses the quorum`);
      assert.equal(world.gateway(party).gateway!.mirror.verified, undefined, `${party} verified neither view`);
    }
    assert.ok(verifierOf(world.keys.log));
  });
});
