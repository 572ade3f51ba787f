import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Policy } from '@evenhand/log';
import { listSnapshots, type Store } from '@evenhand/store';
import { repeatedScenario, scenarioKeys, treatyWithKeys, waitFor, type ScenarioKeys } from '@evenhand/testing';
import { sqliteEngine } from '../../store/test/dialects.ts';
import { buildServedLog, type ServedLog } from './fake-log.ts';
import { linesData, rewriteLatestSnapshot, snapshotLines } from './snapshot-log.ts';
import { snapshotExchange, snapshotGateway } from './snapshot-gateway.ts';

/**
 * Issue 14, "restart ≤ 2 s at 10^6", for a gateway: its restart keeps the request records of its
 * snapshot unread until read (core unread-value.ts). When a record that does not read is met by
 * the entries it mirrors next, the gateway's own state is at fault: its mirror halts with the
 * alarm SNAPSHOT_BROKEN, never INCONSISTENT (which blames the exchange), and the keeper deletes
 * its snapshots and tells it to stop, so that its next start replays its log.
 */

const DAY = 86_400;
const COPIES = 4;

describe('a restarted gateway whose snapshot holds a record that does not read', () => {
  const keys: ScenarioKeys = scenarioKeys();
  const entries = repeatedScenario(treatyWithKeys(keys), Math.floor(Date.now() / 1000) - (COPIES + 1) * 400 * DAY, COPIES);
  const engine = sqliteEngine();
  let policy: Policy;
  let store: Store;
  let fake: FastifyInstance;
  let served: ServedLog | undefined;
  let url = '';
  const gateways: FastifyInstance[] = [];

  const start = async (onBroken?: (message: string) => void) => {
    const warnings: string[] = [];
    const app = await snapshotGateway(store, url, policy, keys, { warn: (message) => warnings.push(message), ...(onBroken ? { onBroken } : {}) });
    gateways.push(app);
    return { app, mirror: app.gateway!.mirror, warnings };
  };

  before(async () => {
    ({ fake, url, policy } = await snapshotExchange(keys, () => served));
    store = await engine.open();
  });
  after(async () => {
    for (const app of gateways) await app.close();
    await fake?.close();
    await store?.close();
    await engine.cleanup();
  });

  it('halts its mirror on its own state, not the exchange, deletes its snapshots, and is told to stop', async () => {
    const cut = Math.floor(entries.length / 2);
    const first = await start();
    served = buildServedLog(keys, entries.slice(0, cut));
    await first.app.gateway!.tick();
    assert.equal(first.mirror.verified?.checkpoint.size, cut);
    await first.mirror.snapshotNow();
    await first.app.close();

    // Every record the entries after the cut act on does not read: signed again under the gateway's own key.
    const acted = new Set(entries.slice(cut).flatMap((entry) => ((entry.body as { request?: unknown }).request !== undefined && entry.type !== 'request.file' ? [String((entry.body as { request: unknown }).request)] : [])));
    let edited = 0;
    await rewriteLatestSnapshot(store, 'gateway:US', keys.authors.get('US')!.seed, (latest) => {
      const lines = snapshotLines(latest.data);
      for (const pair of lines.slice(1, 1 + lines[0].state.requests)) if (acted.has(pair[0])) (pair[1].seq = 'first'), edited++;
      return linesData(lines);
    });
    assert.ok(edited > 0, 'the entries after the cut act on requests filed before it');

    const broken: string[] = [];
    const restarted = await start((message) => broken.push(message));
    assert.doesNotMatch(restarted.warnings.join('\n'), /is not used/, 'the start took the snapshot: its records were not read');
    served = buildServedLog(keys, entries);
    await restarted.app.gateway!.tick();
    assert.match(restarted.mirror.halted ?? '', /^entry \d+: this state was restored from a snapshot holding a record that the entry reads and that does not read/, 'the mirror halts');
    const alarms = restarted.app.gateway!.alarms.list().map((alarm) => alarm.code);
    assert.ok(alarms.includes('SNAPSHOT_BROKEN'), `alarms: ${alarms.join(', ')}`);
    assert.ok(!alarms.includes('INCONSISTENT'), 'the exchange is not blamed');
    await waitFor('the gateway told to stop', async () => broken.length > 0);
    assert.equal(broken.length, 1, 'told to stop');
    await waitFor('its snapshots deleted', async () => (await listSnapshots(store.db, 'gateway:US')).length === 0);
    assert.deepEqual(await listSnapshots(store.db, 'gateway:US'), [], 'its snapshots are deleted');
  });
});
