/**
 * Issue 14, the growth table: how the exchange's and a gateway's costs change with the length
 * of the log, at 10^4, 10^5 and 10^6 entries of realistic requests across three states (US,
 * RU and TR, growth-log.ts). Every service runs in its own process (bench-service.ts), so that
 * CPU and RSS are read for it alone from /proc; the load generator is another process.
 *
 * For each size:
 *   - restart of the exchange with --full-replay (a copy of the log with no snapshot yet), and
 *     from the snapshot that start wrote (goal ≤ 2 s at 10^6); the time is that of
 *     startExchange inside the process (the process's own start, tsx loading, is printed apart);
 *   - RSS of the exchange once started and its first checkpoint of the whole log published;
 *     memory per entry: (that RSS − RSS of an exchange on an empty log) / entries, and the same
 *     less the average stored entry's bytes (goal ≤ 1 KB beyond the entry's own bytes), read
 *     again once the exchange has idled through the settling minute and the idle windows;
 *   - a gateway (US's, production mirror interval of 1 s) on a copy of the log, started once
 *     (full replay, writes its snapshot), then restarted from its snapshot;
 *   - idle CPU of the exchange and of the gateway, both caught up and settled: the median of
 *     four windows of 30 s one after another, each printed with the full collections it held
 *     (goal ≤ 2% of a core; idle-windows.ts says why). Settled: the 60 s after the
 *     catch-up are measured and printed apart. In them V8's memory reducer runs its full
 *     collections once the allocation rate falls after the start (seen with --trace-gc:
 *     three "Mark-Compact (reduce)" of 100–180 ms each per process
 *     at 10^5), and the first view comparisons run: a one-off after a start, not a periodic cost.
 *     While either process used more than 2% of a core in its last 10 s, settling goes on, up to
 *     two minutes more (at 10^6 the reducer's collections of a 1 GB heap were seen to start
 *     after the first minute); its length is printed. The reducer may still come later, after
 *     a quiet stretch that ends the settling: the windows' median is for that;
 *   - /v1/statistics, /v1/requests?limit=50 and /v1/deadlines: median of 20 calls after one
 *     cold call (goal for the first page ≤ 20 ms at 10^6); and so the gateway's console, as an
 *     observer: its inbox (/api/tasks, also with since=1, the new incoming since long ago) and
 *     /api/requests?sort=due and /api/trade-pool (held to the first page's goal: every list's
 *     page, issue 14), and /api/dashboard, the months its reciprocity dashboard charts, which it
 *     read before as every page of the requests (762 pages, 2.3 s at 10^6);
 *   - `evenhand verify` from scratch, then again with the state file, kept replay and mirror
 *     the first run left: the second run goes on from the replay kept at the checkpoint it
 *     accepted (it reads the replay, checks its tree, and checks the entries since, here
 *     none), so the second figure is what a daily audit costs;
 *   - append throughput at that size: 12,000 signed filings of the three states sent by the
 *     load generator in batches of 50 to POST /v1/entries/batch (the gateway stopped first, so
 *     that only the exchange and the load generator share the 2 cores), after a warm-up of
 *     3,000 on the same exchange.
 * Each column has the growth exponent between consecutive sizes, log(v₂/v₁) / log(n₂/n₁).
 *
 * Run: npm run bench -- growth [sizes…]   (or node --import tsx packages/server/bench/growth.bench.ts [sizes…])
 * With no size it runs 10^4 and 10^5 only, so that `npm run bench` stays short; 10^6 needs an
 * explicit `growth 10000 100000 1000000` (or EVENHAND_GROWTH_SIZES=10000,100000,1000000).
 * Logs are cached under .bench-cache/ (growth-log.ts). EVENHAND_BENCH_NODE_ARGS gives node flags
 * to the measured processes (the restarted exchange and gateway, `verify`), and
 * EVENHAND_GROWTH_PROFILE_DIR has them write CPU profiles there.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatVerifierKey, verifierOf } from '@evenhand/log';
import { lastEntryOf, openStore, type StoredEntry } from '@evenhand/store';
import { ORIGIN, report, scenarioPolicy } from '@evenhand/testing';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import { latestSeen } from '../test/exchange-stack.ts';
import { cpuSeconds, MALLOC, rssBytes, sleep, startService, until, type ServiceProcess } from './bench-procs.ts';
import { idleWindows } from './idle-windows.ts';
import { appendedFiling, growthKeys, growthLog, REPO_ROOT, STATES } from './growth-log.ts';
import { latency } from './http-timing.ts';
import { printTable, shown, type GrowthRow } from './growth-table.ts';
import { measureRestartFloor } from './restart-floor.ts';
import { runLoad } from './run-load.ts';

const argSizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const envSizes = (process.env.EVENHAND_GROWTH_SIZES ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const SIZES = argSizes.length > 0 ? argSizes : envSizes.length > 0 ? envSizes : [10_000, 100_000];
const IDLE_SECONDS = Number(process.env.EVENHAND_GROWTH_IDLE_SECONDS ?? 30);
/** Idle windows one after another (EVENHAND_GROWTH_IDLE_WINDOWS): the figure is their median (see above). */
const IDLE_WINDOWS = Number(process.env.EVENHAND_GROWTH_IDLE_WINDOWS ?? 4);
if (!Number.isInteger(IDLE_WINDOWS) || IDLE_WINDOWS < 1) throw new Error(`EVENHAND_GROWTH_IDLE_WINDOWS: a whole number of windows, 1 or more, not ${process.env.EVENHAND_GROWTH_IDLE_WINDOWS}`);
/** What follows a catch-up before the idle windows: measured and printed, not the idle figure (see above). */
const SETTLE_SECONDS = Number(process.env.EVENHAND_GROWTH_SETTLE_SECONDS ?? 60);
/** How much longer the settling may last while a process is still busier than the idle goal (2% of a core). */
const SETTLE_MORE_SECONDS = 120;
const APPENDS_PER_STATE = 4_000;
/**
 * Entries per state sent before the measured ones, on the same exchange, as append.bench.ts
 * does: the restarted exchange has replayed no entry, so its append path starts cold, and the
 * measured 12,000 last little over 2 s. The warm-up's rate is printed beside the figure.
 */
const APPENDS_WARM_UP_PER_STATE = 1_000;
const BATCH = 50;
/** Above this size verify is skipped unless asked (EVENHAND_GROWTH_VERIFY_MAX): its first run replays the whole log. */
const VERIFY_MAX = Number(process.env.EVENHAND_GROWTH_VERIFY_MAX ?? 100_000);
/** A directory for CPU profiles of the restarted exchange, the restarted gateway and `verify` (node --cpu-prof), to see where a cost that grows goes; off by default, since sampling adds to the idle CPU measured. */
const PROFILE_DIR = process.env.EVENHAND_GROWTH_PROFILE_DIR;
/** Node flags for the restarted exchange and gateway and for `verify`, split on spaces (as sustained.bench.ts takes them): to try a flag of the collector on the measured processes. */
const NODE_ARGS = (process.env.EVENHAND_BENCH_NODE_ARGS ?? '').split(' ').filter((flag) => flag !== '');
/** Node's arguments for the measured processes: NODE_ARGS, and a CPU profile into `dir` under PROFILE_DIR when it is set. */
const measuredArgs = (dir = '.'): string[] => [...NODE_ARGS, ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, dir)}`] : [])];
const keys = growthKeys();
const log = (line: string) => console.log(line);


async function startWitnesses(dir: string): Promise<{ witnesses: ServiceProcess; policyText: string }> {
  const witnesses = await startService({ role: 'witnesses', dir, names: [...STATES, 'CH'] });
  const urls = new Map(Object.entries(witnesses.ready.urls as Record<string, string>));
  return { witnesses, policyText: scenarioPolicy(keys, urls) };
}

/**
 * RSS of an exchange on an empty log, the baseline of memory per entry: 3 s after its start,
 * and once it has idled as long as a measured exchange before its settled reading.
 */
async function emptyRss(): Promise<{ readonly early: number; readonly settled: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-growth-empty-'));
  const { witnesses, policyText } = await startWitnesses(dir);
  try {
    const exchange = await startService({ role: 'exchange', db: join(dir, 'exchange.db'), policyText, fullReplay: false });
    await sleep(3000);
    const early = rssBytes(exchange.pid);
    await sleep((SETTLE_SECONDS + IDLE_SECONDS * IDLE_WINDOWS) * 1000);
    const settled = rssBytes(exchange.pid);
    await exchange.stop();
    return { early, settled };
  } finally {
    await witnesses.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The official the growth bench reads the gateway's console as (an observer: it reads, never acts). */
const CONSOLE_OFFICIAL = 'us-observer';

/** A session cookie of CONSOLE_OFFICIAL at the gateway (bench-service.ts makes the account, password `<username>-pw`). */
async function loginCookie(gatewayUrl: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: CONSOLE_OFFICIAL, password: `${CONSOLE_OFFICIAL}-pw` }) });
  if (response.status !== 200) throw new Error(`login at ${gatewayUrl}: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** `evenhand verify` as a user runs it, in its own process; its wall time in seconds. */
async function runVerify(url: string, policyFile: string, dir: string): Promise<number> {
  const args = [...measuredArgs('verify'), '--import', 'tsx', join(REPO_ROOT, 'packages/cli/src/main.ts'), 'verify', '--log', url, '--policy', policyFile, '--as', 'US', '--key', formatVerifierKey(verifierOf(keys.authors.get('US')!)), '--state', join(dir, 'verify-state.json'), '--mirror', join(dir, 'verify-mirror'), '--evidence', join(dir, 'verify-evidence'), '--no-peers', '--no-progress'];
  const start = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (exit) => {
      if (exit !== 0) console.error(out.slice(-2000));
      resolve(exit);
    });
  });
  if (code !== 0) throw new Error(`evenhand verify exited with ${code}`);
  return (performance.now() - start) / 1000;
}

/**
 * Filings of the three states after the log, in base64 per author, each chain resumed from the
 * author's last entry in the exchange's store: the gateway has written entries of its own by
 * then (its transport keys), so the generated log's last entries are not the last any more.
 */
async function appendStreams(url: string, exchangeDb: string): Promise<string[][]> {
  const seen = await latestSeen(url);
  const time = Math.floor(Date.now() / 1000);
  const store = await openStore({ engine: 'sqlite', file: exchangeDb });
  const lasts = new Map<string, StoredEntry>();
  try {
    for (const author of STATES) lasts.set(author, (await lastEntryOf(store.db, author))!);
  } finally {
    await store.close();
  }
  return STATES.map((author, a) => {
    const writer = new AuthorWriter(author, ORIGIN, keys.authors.get(author)!.seed);
    const last = lasts.get(author)!;
    writer.resume({ seq: last.authorSeq, bytes: last.bytes });
    const out: string[] = [];
    for (let n = 0; n < APPENDS_WARM_UP_PER_STATE + APPENDS_PER_STATE; n++) {
      const requested = STATES[(a + 1 + (n % 2)) % STATES.length]!;
      const body = appendedFiling(author, requested, 'a', n, new Date((time - 90 * 86_400) * 1000).toISOString().slice(0, 10));
      const signed = writer.sign({ time, type: 'request.file', body }, seen);
      writer.commit(signed);
      out.push(Buffer.from(signed.bytes).toString('base64'));
    }
    return out;
  });
}

async function measure(size: number, empty: { readonly early: number; readonly settled: number }): Promise<GrowthRow> {
  const runStarted = performance.now();
  log(`\n-- ${size.toLocaleString('en-US')} entries`);
  const growth = await growthLog(size, log);
  const generation = growth.cached ? `cached (generated in ${growth.generatedSeconds.toFixed(0)} s)` : `generated in ${growth.generatedSeconds.toFixed(0)} s`;
  log(`  log: ${generation}; ${(growth.bytes / growth.size).toFixed(0)} bytes per stored entry on average`);
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-growth-'));
  const running: ServiceProcess[] = [];
  const stop = async (service: ServiceProcess) => {
    await service.stop();
    running.splice(running.indexOf(service), 1);
  };
  try {
    copyFileSync(growth.db, join(dir, 'exchange.db'));
    copyFileSync(growth.db, join(dir, 'gateway-US.db'));
    writeFileSync(join(dir, 'US-entry.key'), `${Buffer.from(keys.authors.get('US')!.seed).toString('base64')}\n`, { mode: 0o600 });
    const { witnesses, policyText } = await startWitnesses(dir);
    running.push(witnesses);
    const policyFile = join(dir, 'policy.txt');
    writeFileSync(policyFile, policyText);
    const exchangeJob = (fullReplay: boolean) => ({ role: 'exchange' as const, db: join(dir, 'exchange.db'), policyText, fullReplay });
    const published = (service: ServiceProcess) => until(`the exchange's checkpoint of ${size}`, async () => (await service.status()).published >= size, 300_000);

    // 1. --full-replay (the copy has no snapshot), which writes the snapshot the restart reads.
    const first = await startService(exchangeJob(true));
    running.push(first);
    const fullReplay = first.ready.startSeconds as number;
    log(`  exchange --full-replay: ${fullReplay.toFixed(2)} s`);
    await published(first);
    await stop(first);
    // What the restart cannot do faster however it parsed the records, the exchange stopped (restart-floor.ts).
    const floor = await measureRestartFloor(join(dir, 'exchange.db'), 'exchange');
    const restartFloor = floor.rowsSeconds + floor.linesSeconds + floor.treeSeconds;
    const bytesFloor = floor.rowsSeconds + floor.bytesSeconds + floor.mapSeconds + floor.treeSeconds;
    log(`  before any record is parsed: ${restartFloor.toFixed(2)} s (snapshot rows read ${floor.rowsSeconds.toFixed(2)} s; ${(floor.jsonBytes / 1e6).toFixed(0)} MB of JSON decompressed ${floor.gunzipSeconds.toFixed(2)} s, and cut into ${floor.lines.toLocaleString('en-US')} lines of key and text ${floor.linesSeconds.toFixed(2)} s; tree ${floor.treeSeconds.toFixed(2)} s)`);
    log(`  … with the records kept as bytes, each value's place in them: ${bytesFloor.toFixed(2)} s (decompressed and cut ${floor.bytesSeconds.toFixed(2)} s, the keys mapped to their places ${floor.mapSeconds.toFixed(2)} s)`);

    // 2. A restart from that snapshot; RSS once its first checkpoint is out and it has settled.
    const exchange = await startService(exchangeJob(false), undefined, measuredArgs());
    running.push(exchange);
    const restart = exchange.ready.startSeconds as number;
    log(`  exchange restart from its snapshot: ${restart.toFixed(2)} s (the process ready ${exchange.spawnSeconds.toFixed(2)} s after its spawn)`);
    // The figure index, counted in slices once the restarted exchange serves (core FigureCell `counting`): when it is done, and the event loop's longest hold meanwhile.
    await exchange.status(false, true);
    let counted: Record<string, any> = {};
    await until('the restarted exchange counting its figure index', async () => Boolean((counted = (await exchange.status()).figuresCounted)), 120_000, 50);
    const countHold = ((await exchange.status(false, true)).loopDelay?.max as number | undefined) ?? Number.NaN;
    const figuresCounted = counted.afterStartSeconds as number;
    log(`  its figure index counted while serving, ${figuresCounted.toFixed(2)} s after the start; the event loop held at most ${countHold.toFixed(0)} ms meanwhile (its longest slice ${(counted.longestSliceMs as number).toFixed(0)} ms)`);
    await published(exchange);
    await sleep(3000);
    const rss = rssBytes(exchange.pid);
    const perEntry = (rss - empty.early) / size;
    const beyondEntry = perEntry - growth.bytes / growth.size;
    const url = exchange.ready.url as string;

    // 3. The gateway: a first start replays its copy and writes a snapshot; the restart reads it.
    const gatewayJob = { role: 'gateway' as const, party: 'US', parties: [...STATES], db: join(dir, 'gateway-US.db'), dir, policyText, exchangeUrl: url, fullReplay: false, accounts: { [CONSOLE_OFFICIAL]: 'observer' } };
    const caughtUp = (service: ServiceProcess) => until(`the gateway's mirror at ${size}`, async () => (await service.status()).verified >= size, 600_000);
    const gatewayFirst = await startService(gatewayJob);
    running.push(gatewayFirst);
    await caughtUp(gatewayFirst);
    const gatewayFirstStart = gatewayFirst.ready.startSeconds as number;
    await stop(gatewayFirst);
    const gateway = await startService(gatewayJob, undefined, measuredArgs('gateway'));
    running.push(gateway);
    const gatewayRestart = gateway.ready.startSeconds as number;
    await caughtUp(gateway);
    log(`  gateway first start ${gatewayFirstStart.toFixed(2)} s, restart from its snapshot ${gatewayRestart.toFixed(2)} s`);

    // 4. Idle: nothing is submitted; the exchange publishes on its tick, the gateway mirrors every second.
    const settling = [cpuSeconds(exchange.pid), cpuSeconds(gateway.pid)];
    await sleep(SETTLE_SECONDS * 1000);
    // The reducer's collections of a heap near 1 GB (10^6) take about a second each on a slow
    // machine, and were seen to begin after the minute (a CPU profile: 89% of the gateway's
    // next 30 s in the garbage collector, no code of ours above 1%). The settling goes on, ten
    // seconds at a time and at most SETTLE_MORE_SECONDS, while a process was busier than the
    // goal in the last ten; how long it took is printed with what it cost.
    let settled = SETTLE_SECONDS;
    for (let step = [cpuSeconds(exchange.pid), cpuSeconds(gateway.pid)]; settled < SETTLE_SECONDS + SETTLE_MORE_SECONDS; ) {
      await sleep(10_000);
      settled += 10;
      const now = [cpuSeconds(exchange.pid), cpuSeconds(gateway.pid)];
      const busiest = Math.max(now[0]! - step[0]!, now[1]! - step[1]!) / 10;
      step = now;
      if (busiest <= 0.02) break;
    }
    const settleCpu = (pid: number, from: number) => (((cpuSeconds(pid) - from) / settled) * 100).toFixed(2);
    log(`  the ${settled} s after the catch-up (V8's memory reducer, first view comparisons): exchange ${settleCpu(exchange.pid, settling[0]!)}% of a core, gateway ${settleCpu(gateway.pid, settling[1]!)}%`);
    // The idle windows, one after another (idle-windows.ts): the figure is their median.
    const [idleExchange, idleGateway] = (await idleWindows([{ name: 'exchange', service: exchange }, { name: 'gateway', service: gateway }], IDLE_WINDOWS, IDLE_SECONDS, log)) as [number, number];
    log(`  load average of the machine (other work included): ${loadavg().map((value) => value.toFixed(1)).join(', ')}`);
    const rssSettled = rssBytes(exchange.pid);
    const beyondSettled = (rssSettled - empty.settled) / size - growth.bytes / growth.size;
    log(`  RSS of the exchange: ${(rss / 1e6).toFixed(0)} MB 3 s after its first checkpoint, ${(rssSettled / 1e6).toFixed(0)} MB once settled`);

    // 5. Public views.
    const statistics = await latency(`${url}/v1/statistics`);
    const firstPage = await latency(`${url}/v1/requests?limit=50`);
    const deadlines = await latency(`${url}/v1/deadlines`);
    // The treaty clears every 168 hours and the generated log holds no round: the exchange's first tick runs one, whose
    // proposals nobody signs. Their obligations are in every list read below (issue 14: 7,008 trades at 10^6).
    const listed = (await (await fetch(`${url}/v1/deadlines?kind=trade-sign&limit=1`)).json()) as { size: number };
    log(`  read at ${listed.size.toLocaleString('en-US')} entries: ${(listed.size - size).toLocaleString('en-US')} more than generated, the exchange's clearing round and its proposals`);
    log(`  /v1/statistics ${statistics.median.toFixed(1)} ms (cold ${statistics.cold.toFixed(1)}), /v1/requests?limit=50 ${firstPage.median.toFixed(1)} ms (cold ${firstPage.cold.toFixed(1)}), /v1/deadlines ${deadlines.median.toFixed(1)} ms (cold ${deadlines.cold.toFixed(1)}, ${(deadlines.bytes / 1024).toFixed(0)} KiB)`);

    // 5b. The officials' console on the gateway: its inbox, and the requests list by the soonest obligation.
    const gatewayUrl = gateway.ready.url as string;
    const session = { cookie: await loginCookie(gatewayUrl) };
    const inbox = await latency(`${gatewayUrl}/api/tasks`, session);
    const since = await latency(`${gatewayUrl}/api/tasks?since=1`, session);
    const byDue = await latency(`${gatewayUrl}/api/requests?sort=due&limit=50`, session);
    // The pool of open grants on reciprocity, which the generated log lets grow (growth-log.ts, shape 6).
    const pool = await latency(`${gatewayUrl}/api/trade-pool?limit=50`, session);
    const dashboard = await latency(`${gatewayUrl}/api/dashboard`, session);
    const tasks = (await (await fetch(`${gatewayUrl}/api/tasks`, { headers: session })).json()) as { owedByUsTotal: number; owedToUsTotal: number };
    log(`  console: /api/tasks ${inbox.median.toFixed(1)} ms (cold ${inbox.cold.toFixed(1)}; ${tasks.owedByUsTotal.toLocaleString('en-US')} obligations owed by the US, ${tasks.owedToUsTotal.toLocaleString('en-US')} owed to it), with since=1 ${since.median.toFixed(1)} ms, /api/requests?sort=due&limit=50 ${byDue.median.toFixed(1)} ms (cold ${byDue.cold.toFixed(1)}), /api/trade-pool?limit=50 ${pool.median.toFixed(1)} ms (cold ${pool.cold.toFixed(1)})`);
    log(`  console dashboard: /api/dashboard ${dashboard.median.toFixed(1)} ms (cold ${dashboard.cold.toFixed(1)}, ${(dashboard.bytes / 1024).toFixed(1)} KiB)`);

    // 6. verify, from scratch and then from the state file the first run left.
    let verifyScratch = Number.NaN;
    let verifyState = Number.NaN;
    if (size <= VERIFY_MAX) {
      verifyScratch = await runVerify(url, policyFile, dir);
      verifyState = await runVerify(url, policyFile, dir);
      log(`  evenhand verify: from scratch ${verifyScratch.toFixed(2)} s, with the state file ${verifyState.toFixed(2)} s`);
    } else log(`  evenhand verify: skipped above ${VERIFY_MAX.toLocaleString('en-US')} entries (EVENHAND_GROWTH_VERIFY_MAX)`);

    // 7. Appends at this size, the gateway stopped.
    await stop(gateway);
    const streams = await appendStreams(url, join(dir, 'exchange.db'));
    const send = async (part: (stream: string[]) => string[]) => {
      const load = await runLoad({ mode: 'append', url, streams: streams.map(part), wait: false, batch: BATCH });
      if (load.failed > 0) throw new Error(`appends at ${size}: ${load.failed} refused, first: ${load.firstError}`);
      return load;
    };
    const warmUp = await send((stream) => stream.slice(0, APPENDS_WARM_UP_PER_STATE));
    const ahead = await exchange.status();
    const load = await send((stream) => stream.slice(APPENDS_WARM_UP_PER_STATE));
    const appends = load.accepted / load.seconds;
    const aheadAfter = await exchange.status();
    const onThread = (aheadAfter.verifiedAhead ?? 0) - (ahead.verifiedAhead ?? 0);
    const passedOver = (aheadAfter.passedOver ?? 0) - (ahead.passedOver ?? 0);
    log(`  appends: ${load.accepted.toLocaleString('en-US')} in ${load.seconds.toFixed(2)} s, after a warm-up of ${warmUp.accepted.toLocaleString('en-US')} at ${(warmUp.accepted / warmUp.seconds).toFixed(0)}/s; signatures verified ahead on the exchange's second thread ${onThread.toLocaleString('en-US')}, passed over by it (verified by the sequencer first) ${passedOver.toLocaleString('en-US')}`);
    return {
      size,
      fullReplay,
      restart,
      figuresCounted,
      countHold,
      restartFloor,
      bytesFloor,
      exchangeSpawn: exchange.spawnSeconds,
      gatewayFirstStart,
      gatewayRestart,
      rss,
      perEntry,
      beyondEntry,
      beyondSettled,
      idleExchange,
      idleGateway,
      statistics: statistics.median,
      statisticsCold: statistics.cold,
      firstPage: firstPage.median,
      deadlines: deadlines.median,
      deadlinesBytes: deadlines.bytes,
      inbox: inbox.median,
      byDue: byDue.median,
      pool: pool.median,
      dashboard: dashboard.median,
      verifyScratch,
      verifyState,
      appends,
      generation,
      runSeconds: (performance.now() - runStarted) / 1000,
    };
  } finally {
    for (const service of [...running].reverse()) await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const empty = await emptyRss();
log(`the services' allocator: ${MALLOC.name}`);
log(`RSS of an exchange on an empty log: ${(empty.early / 1e6).toFixed(1)} MB 3 s after its start, ${(empty.settled / 1e6).toFixed(1)} MB once settled`);
const rows: GrowthRow[] = [];
for (const size of SIZES) {
  try {
    rows.push(await measure(size, empty));
    log(`  ${size.toLocaleString('en-US')}: log ${rows[rows.length - 1]!.generation}; measured in ${rows[rows.length - 1]!.runSeconds.toFixed(0)} s`);
    // The table so far after every size: a run stopped during a long size keeps what it measured.
    if (rows.length < SIZES.length) printTable(rows);
  } catch (error) {
    console.error(`growth at ${size}: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
    break;
  }
}
if (rows.length > 0) {
  printTable(rows);
  const largest = rows[rows.length - 1]!;
  const at = `at ${largest.size.toLocaleString('en-US')} entries`;
  console.log('');
  report(`idle CPU of the exchange, the median of ${IDLE_WINDOWS} windows of ${IDLE_SECONDS} s, worst size`, Math.max(...rows.map((row) => row.idleExchange)), '% of a core', 2, 'lower');
  report(`idle CPU of a gateway, the median of ${IDLE_WINDOWS} windows of ${IDLE_SECONDS} s, worst size`, Math.max(...rows.map((row) => row.idleGateway)), '% of a core', 2, 'lower');
  report(`exchange restart from its snapshot ${at}`, largest.restart, 's', 2, 'lower', largest.size < 1_000_000 ? 'the goal is at 10^6' : '');
  report(`first page /v1/requests?limit=50 ${at}`, largest.firstPage, 'ms', 20, 'lower', largest.size < 1_000_000 ? 'the goal is at 10^6' : '');
  report(`memory per entry beyond its own bytes ${at}, 3 s after the restart's first checkpoint`, largest.beyondEntry, 'bytes', 1024, 'lower', `${shown(largest.perEntry)} bytes per entry in all`);
  report(`memory per entry beyond its own bytes ${at}, once settled`, largest.beyondSettled, 'bytes', 1024, 'lower');
}
