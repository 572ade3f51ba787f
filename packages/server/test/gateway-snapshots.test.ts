import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { entriesPath, TILE_WIDTH, type Policy } from '@evenhand/log';
import type { AnyDomainEntry } from '@evenhand/core';
import { countEntries, createAccount, listSnapshots, type Store } from '@evenhand/store';
import { repeatedScenario, scenarioKeys, testSeed, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { ENGINES } from '../../store/test/dialects.ts';
import { hashPassword } from '../src/auth/password.ts';
import { SESSION_COOKIE } from '../src/auth/sessions.ts';
import type { CatchUpProgress, CatchUpStatus } from '../src/gateway/catch-up.ts';
import type { SnapshotOptions } from '../src/replay/snapshot-options.ts';
import { buildServedLog, type ServedLog } from './fake-log.ts';
import { adoptTreaty, loginEveryone, startGatewayStack, testCalendar } from './gateway-stack.ts';
import { filingsAfter, linesData, snapshotLines, viewsOf } from './snapshot-log.ts';
import { countsUpTo, watchStart } from './start-watch.ts';
import { snapshotExchange, snapshotGateway } from './snapshot-gateway.ts';

/**
 * Issue 14, "Snapshots", for a gateway: its mirror writes a snapshot at a checkpoint it
 * verified, a restart replays only the mirrored entries after it and ends in the state a
 * `--full-replay` gives, and an edited snapshot is refused for a full replay. The exchange is
 * a fake serving signed checkpoints and tiles (fake-log.ts); replays are counted, not timed.
 */

const DAY = 86_400;
const COPIES = 10;
const EVERY = 150;

for (const makeEngine of ENGINES) {
  const engine = makeEngine();
  describe(`gateway restarts from snapshots on ${engine.name}`, { skip: engine.skip }, () => {
    const keys: ScenarioKeys = scenarioKeys();
    // In the past, so that every entry is older than the checkpoints that cover it (the time rules).
    const entries = repeatedScenario(treatyWithKeys(keys), Math.floor(Date.now() / 1000) - (COPIES + 1) * 400 * DAY, COPIES);
    const cut = 200;
    /** The domain entries of the log the mirror last caught up with, which the next test extends. */
    let history: AnyDomainEntry[] = entries;
    let policy: Policy;
    let store: Store;
    let fake: FastifyInstance;
    let served: ServedLog | undefined;
    let url = '';
    let gateway: FastifyInstance | undefined;

    /** A gateway (re)started on the same store, with its replays counted. */
    const start = async (options: Partial<SnapshotOptions> = {}, catchUp?: CatchUpProgress) => {
      const warnings: string[] = [];
      const counted = { replayed: 0 };
      gateway = await snapshotGateway(store, url, policy, keys, { every: EVERY, warn: (message) => warnings.push(message), onReplayed: () => counted.replayed++, ...options }, catchUp);
      return { app: gateway, mirror: gateway.gateway!.mirror, warnings, replayed: () => counted.replayed };
    };
    const stop = async () => {
      await gateway?.close();
      gateway = undefined;
    };

    before(async () => {
      ({ fake, url, policy } = await snapshotExchange(keys, () => served));
      store = await engine.open();
    });
    after(async () => {
      await stop();
      await fake?.close();
      await store?.close();
      await engine.cleanup();
    });

    it('snapshots at a verified checkpoint, and a restart replays only the entries after it', async () => {
      const first = await start();
      served = buildServedLog(keys, entries.slice(0, cut));
      await first.app.gateway!.tick();
      assert.equal(first.mirror.size, cut);
      assert.equal(first.mirror.verified?.checkpoint.size, cut, 'the checkpoint is verified');
      await first.mirror.snapshotNow();
      const [written] = await listSnapshots(store.db, 'gateway:US');
      assert.equal(written?.size, cut, 'a snapshot at the verified checkpoint');
      served = buildServedLog(keys, entries);
      await first.app.gateway!.tick();
      assert.equal(first.mirror.size, entries.length);
      await stop();

      // Deltas allowed up to ten times the whole snapshot: the next snapshot follows the one at `cut`.
      const watched = watchStart();
      const restarted = await start({ wholeAfter: 10, progress: watched.progress });
      assert.deepEqual(restarted.warnings, []);
      assert.equal(restarted.replayed(), entries.length - cut, 'only the entries after the snapshot are replayed');
      assert.deepEqual(watched.steps, [`restoring ${cut}`, `restored ${cut}`, `replaying ${cut} to ${entries.length}`]);
      assert.deepEqual(watched.replayed, countsUpTo(entries.length - cut));
      assert.equal(restarted.mirror.verified?.checkpoint.size, entries.length, 'the verified checkpoint is kept');
      const restartedViews = viewsOf(restarted.mirror.state);
      const restartedCases = restarted.mirror.cases.toData();
      const root = restarted.mirror.rootAt(entries.length);
      // What start-gateway.ts does on a clean shutdown.
      await restarted.mirror.snapshotNow();
      await stop();
      const [delta] = await listSnapshots(store.db, 'gateway:US');
      assert.deepEqual([delta?.size, delta?.base?.size], [entries.length, cut], 'the snapshot it wrote is a delta from the one it started from');
      const fromChain = await start();
      assert.deepEqual(fromChain.warnings, []);
      assert.equal(fromChain.replayed(), 0, 'the chain is taken whole');
      assert.deepEqual(viewsOf(fromChain.mirror.state), restartedViews);
      assert.deepEqual(fromChain.mirror.cases.toData(), restartedCases);
      await stop();

      const full = watchStart();
      const rebuilt = await start({ fullReplay: true, progress: full.progress });
      assert.equal(rebuilt.replayed(), entries.length, '--full-replay replays every entry');
      assert.deepEqual(full.steps, [`replaying 0 to ${entries.length}`]);
      assert.deepEqual(full.replayed, countsUpTo(entries.length));
      assert.deepEqual(restartedViews, viewsOf(rebuilt.mirror.state));
      assert.deepEqual(restartedCases, rebuilt.mirror.cases.toData());
      assert.deepEqual(root, rebuilt.mirror.rootAt(entries.length));
      // The fresh snapshot it writes is of the whole mirror.
      await stop();
      assert.equal((await listSnapshots(store.db, 'gateway:US'))[0]?.size, entries.length);
      const again = await start();
      assert.equal(again.replayed(), 0, 'nothing to replay after the fresh snapshot');
      assert.deepEqual(viewsOf(again.mirror.state), restartedViews);
      // And it goes on mirroring from there.
      await again.app.gateway!.tick();
      assert.equal(again.mirror.size, entries.length);
      assert.equal(again.mirror.halted, undefined);
      await stop();
    });

    it('refuses a snapshot whose data was edited, and replays the whole mirror', async () => {
      const [latest] = await listSnapshots(store.db, 'gateway:US');
      const lines = snapshotLines(latest!.data);
      lines[0].chains[0][1].seq += 1;
      await store.db.updateTable('replay_snapshots').set({ data: await linesData(lines) }).where('service', '=', 'gateway:US').where('size', '=', latest!.size).execute();
      const restarted = await start();
      assert.equal(restarted.replayed(), entries.length);
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      await stop();
      // The full replay replaced the refused snapshot with a fresh one, which the next start takes.
      const next = await start();
      assert.deepEqual(next.warnings, []);
      assert.equal(next.replayed(), 0);
      await stop();
    });

    it('takes a sound snapshot, comparing its leaves, when the stored checkpoint row was edited', async () => {
      // The full replay above wrote a fresh, sound snapshot; now the stored checkpoint's row says another root than its note.
      assert.equal((await listSnapshots(store.db, 'gateway:US'))[0]?.size, entries.length);
      const published = await store.db.selectFrom('log_published').selectAll().executeTakeFirstOrThrow();
      await store.db.updateTable('log_published').set({ root: new Uint8Array(32).fill(9) }).execute();
      try {
        // The row vouches for nothing, so its root is not compared (it refused every snapshot, each start a full replay).
        const restarted = await start();
        assert.equal(restarted.replayed(), 0, 'the snapshot is taken');
        assert.deepEqual(restarted.warnings, []);
        assert.equal(restarted.mirror.verified?.checkpoint.size, entries.length, 'the note, which verifies, is the checkpoint verified');
        // The next checkpoint it verifies takes the edited row's place (its swap expected the note's root, and left the row as it was).
        served = buildServedLog(keys, entries, { time: Math.floor(Date.now() / 1000) + 2 });
        assert.notEqual(served.note, published.note);
        await restarted.app.gateway!.tick();
        const rewritten = await store.db.selectFrom('log_published').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual([Buffer.from(rewritten.root).toString('hex'), rewritten.note], [Buffer.from(served.root).toString('hex'), served.note]);
        await stop();
      } finally {
        await store.db.updateTable('log_published').set({ root: published.root, note: published.note }).execute();
      }
    });

    it('fails to start, naming its store, when its entries do not give the checkpoint it verified under its own witness', async () => {
      const published = await store.db.selectFrom('log_published').selectAll().executeTakeFirstOrThrow();
      // A checkpoint signed by the log and cosigned by this state's witness, of another history of the same size: the
      // mirror's stored entries are not those its own witness vouched for. Started, it would blame the exchange for them.
      const other = buildServedLog(keys, repeatedScenario(treatyWithKeys(keys), Math.floor(Date.now() / 1000) - (COPIES + 3) * 400 * DAY, COPIES));
      assert.equal(other.size, entries.length);
      await store.db.updateTable('log_published').set({ root: other.root, note: other.note }).execute();
      try {
        for (const options of [{}, { fullReplay: true }]) {
          await assert.rejects(start(options), new RegExp(`STORE_CONTRADICTS_SIGNED_CHECKPOINT: this gateway's store does not hold the log its own checkpoint of size ${entries.length} \\(table log_published\\) states: the replay's root at size ${entries.length} is not the root of the checkpoint this gateway verified`));
          gateway = undefined;
        }
        // A note its own witness did not cosign vouches for nothing: the gateway starts, and the exchange's next checkpoint is judged on its own.
        const unwitnessed = buildServedLog(keys, repeatedScenario(treatyWithKeys(keys), Math.floor(Date.now() / 1000) - (COPIES + 3) * 400 * DAY, COPIES), { cosigners: ['RU', 'CH'] });
        await store.db.updateTable('log_published').set({ root: unwitnessed.root, note: unwitnessed.note }).execute();
        const started = await start({ fullReplay: true });
        assert.equal(started.replayed(), entries.length);
        await stop();
      } finally {
        await store.db.updateTable('log_published').set({ root: published.root, note: published.note }).execute();
      }
    });

    it('fails to start, naming its store, when it lost entries that the checkpoint it verified holds', async () => {
      const published = await store.db.selectFrom('log_published').selectAll().executeTakeFirstOrThrow();
      // A table restored from an older copy, or rows deleted: mirrored again, the entries would
      // be checked against the prefix it still holds, and an edit there blamed on the exchange.
      const lost = await store.db.selectFrom('log_entries').selectAll().where('idx', '>=', published.size - 2).orderBy('idx').execute();
      assert.equal(lost.length, 2);
      await store.db.deleteFrom('log_entries').where('idx', '>=', published.size - 2).execute();
      await store.db.updateTable('log_sequence').set({ next_idx: published.size - 2 }).where('id', '=', 1).execute();
      try {
        for (const options of [{}, { fullReplay: true }]) {
          await assert.rejects(start(options), new RegExp(`STORE_CONTRADICTS_SIGNED_CHECKPOINT: this gateway's store does not hold the log its own checkpoint of size ${published.size} \\(table log_published\\) states: the checkpoint it verified has ${published.size} entries, the store ${published.size - 2}\\. Its mirrored entries were edited or removed`));
          gateway = undefined;
        }
      } finally {
        await store.db.insertInto('log_entries').values(lost).execute();
        await store.db.updateTable('log_sequence').set({ next_idx: published.size }).where('id', '=', 1).execute();
      }
      // The rows back, it starts again.
      const started = await start();
      assert.equal(started.mirror.size, published.size);
      await stop();
    });

    it('catches up after a stop on more entries than one insert statement can bind', async () => {
      // While the gateway was stopped, the log gained 4,800 filings: its next extension stores
      // them in one batch, which failed on SQLite past 4,680 rows ("too many SQL variables").
      const before = await start();
      served = buildServedLog(keys, entries);
      await before.app.gateway!.tick();
      assert.equal(before.mirror.size, entries.length);
      await stop();
      const more = filingsAfter(entries, 4_800, 'CU');
      history = [...entries, ...more];
      served = buildServedLog(keys, history);
      const after = await start();
      // In one chunk: more rows than one insert statement can bind go to the store at once.
      after.mirror.extensionChunk = 16_384;
      await after.app.gateway!.tick();
      assert.equal(after.mirror.halted, undefined);
      assert.equal(after.mirror.size, entries.length + more.length);
      assert.equal(after.mirror.verified?.checkpoint.size, entries.length + more.length);
      assert.ok(after.mirror.state.requests.size >= more.length);
      await stop();
    });

    it('takes a long extension in chunks, each checked against the signed tree before it is replayed and stored, and tells how far it is', async () => {
      // Each step of the catch-up as it was told, with what the mirror (and so /api/log-health) said at that moment.
      const told: { step: string; status: CatchUpStatus; shown: CatchUpStatus | undefined }[] = [];
      let health: Promise<{ catchingUp: CatchUpStatus | null }> | undefined;
      const record = (step: string) => (status: CatchUpStatus) => {
        told.push({ step, status, shown: gateway?.gateway?.mirror.catchingUp });
        // Asked over HTTP after the first chunk: the two or more chunks left (each fetched, replayed and stored) take far longer than the request.
        if (step === 'advanced' && !health) health = gateway!.inject({ method: 'GET', url: '/api/log-health', cookies: { [SESSION_COOKIE]: cookie } }).then((answer) => answer.json());
      };
      const first = await start({}, { began: record('began'), advanced: record('advanced'), ended: record('ended') });
      await createAccount(store.db, { username: 'us-observer', party: 'US', role: 'observer', passwordHash: await hashPassword('pw'), createdAt: 0 });
      const login = await first.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'us-observer', password: 'pw' } });
      const cookie = login.cookies.find((entry) => entry.name === SESSION_COOKIE)!.value;
      const held = first.mirror.size;
      // The history the mirror holds, as the test before left it, grown by 2,000 filings.
      const longer = [...history, ...filingsAfter(history, 2_000, 'CK')];
      const honest = buildServedLog(keys, longer);
      // One flipped byte in the last full bundle: the chunks before it are the signed tree's, and are taken.
      const tiles = new Map(honest.tiles);
      const path = entriesPath(Math.floor(longer.length / TILE_WIDTH) - 1);
      const bundle = new Uint8Array(tiles.get(path)!);
      bundle[bundle.length - 10] = bundle[bundle.length - 10]! ^ 0x01;
      tiles.set(path, bundle);
      served = { ...honest, tiles };
      first.mirror.extensionChunk = 512;
      await first.app.gateway!.tick();
      const taken = first.mirror.size;
      assert.ok(taken > held && taken < longer.length, `the chunks before the forged bundle are taken (${held} → ${taken} of ${longer.length})`);
      assert.equal(first.mirror.verified?.checkpoint.size, held, 'the checkpoint is not accepted');
      assert.equal(await countEntries(store.db), taken, 'each chunk taken is stored');
      assert.equal(first.mirror.halted, undefined);
      // Told from where to where, after each chunk stored, and where it stopped; shown by the mirror while it lasted, and no longer.
      const to = longer.length;
      assert.deepEqual(told[0]!.status, { from: held, to, held, since: told[0]!.status.since });
      assert.deepEqual(told.map((each) => each.step), ['began', ...told.slice(1, -1).map(() => 'advanced'), 'ended']);
      // A chunk is whole bundles, taken once they hold 512 entries or more (fresh-entries.ts).
      const steps = told.slice(1, -1).map((each) => each.status.held);
      steps.forEach((step, i) => {
        const grew = step - (steps[i - 1] ?? held);
        assert.ok(step % TILE_WIDTH === 0 && grew >= 512 && grew < 512 + TILE_WIDTH, `step ${i}: ${steps[i - 1] ?? held} → ${step}, one chunk of whole bundles`);
      });
      assert.equal(told.at(-1)!.status.held, taken, 'it ended where the forged bundle stopped it');
      for (const each of told) assert.deepEqual(each.shown, each.step === 'ended' ? undefined : each.status, `what the mirror showed at step ${each.step}`);
      assert.ok(told.length >= 3, 'at least one chunk was taken before the forged one');
      const shown = (await health!).catchingUp;
      assert.ok(shown && shown.from === held && shown.to === to && shown.held > held && shown.held < to, `/api/log-health showed the catch-up under way: ${JSON.stringify(shown)}`);
      assert.equal(first.mirror.catchingUp, undefined);
      told.length = 0;
      served = honest;
      // Smaller chunks, so that what is left of the gap is long enough to be taken in chunks too.
      first.mirror.extensionChunk = 128;
      await first.app.gateway!.tick();
      assert.equal(first.mirror.verified?.checkpoint.size, longer.length);
      assert.deepEqual([told[0]!.status.from, told.at(-1)!.step, told.at(-1)!.status.held], [taken, 'ended', to], 'the next round caught up from where the last stopped');
      const after = await first.app.inject({ method: 'GET', url: '/api/log-health', cookies: { [SESSION_COOKIE]: cookie } });
      assert.equal(after.json().catchingUp, null);
      const chunked = viewsOf(first.mirror.state);
      await stop();
      const rebuilt = await start({ fullReplay: true });
      assert.deepEqual(viewsOf(rebuilt.mirror.state), chunked, 'a full replay of the stored mirror gives the same state');
      await stop();

      // An entry with a forged author signature in a later chunk: the mirror stops, with the chunks before it stored.
      const forgedAt = longer.length + 900;
      const longest = [...longer, ...filingsAfter(longer, 1_200, 'CF')];
      served = buildServedLog(keys, longest, { seedOf: (author, i) => (i === forgedAt ? testSeed('not-us') : keys.authors.get(author)!.seed) });
      const again = await start();
      again.mirror.extensionChunk = 256;
      await again.app.gateway!.tick();
      assert.match(again.mirror.halted ?? '', /signature/);
      assert.equal(again.mirror.verified?.checkpoint.size, longer.length);
      const stored = await countEntries(store.db);
      assert.ok(stored > longer.length && stored <= forgedAt, `stored ${stored}: chunks before entry ${forgedAt}, not its own`);
      await stop();
    });
  });
}

describe('a running gateway and its snapshots', () => {
  it('writes one of its mirror on a clean shutdown, and restarts from it to the same state', async () => {
    const stack = await startGatewayStack();
    try {
      const { us, ru } = await loginEveryone(stack);
      const { day, filing } = testCalendar();
      await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
      assert.equal((await us.clerk!.call('POST', '/api/requests', filing('US-S1', day(1)))).status, 201);
      await stack.syncAll();
      const before = stack.gateways.get('US')!.gateway.mirror;
      const size = before.size;
      const views = viewsOf(before.state);
      await stack.restart('US');
      const after = stack.gateways.get('US')!;
      const [written] = await listSnapshots(after.store.db, 'gateway:US');
      assert.equal(written?.size, size, 'the shutdown wrote a snapshot of the whole mirror');
      assert.equal(after.gateway.mirror.size, size);
      assert.deepEqual(viewsOf(after.gateway.mirror.state), views);
      await stack.syncAll();
      assert.equal(after.gateway.mirror.halted, undefined);
    } finally {
      await stack.close();
    }
  });
});
