/**
 * Issue 4: the gateway's read API at 200 requests/s (goal p99 ≤ 20 ms), on loopback, with
 * the load from a second process. The gateways run the demo (the 2021 scenario) in a
 * temporary directory; the load is an open loop of GET /api/requests and GET
 * /api/requests/:id as a logged-in official.
 * Run: node --import tsx packages/cli/bench/gateway-read.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, percentile, report } from '@evenhand/testing';
import { runLoad } from '../../server/bench/run-load.ts';
import { runDemo } from '../src/demo/run-demo.ts';
import { username } from '../src/demo/seed-scenario.ts';
import { defaultTreatyPath } from '../src/paths.ts';
import { readTreatyFile } from '../src/read-treaty.ts';

const RATE = 200;
const SECONDS = Number(process.env.EVENHAND_BENCH_SECONDS ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'evenhand-read-bench-'));
const [exchange, witness, us, ru] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
const demo = await runDemo({ dir, fresh: false, ports: { exchange, witness, gateways: { US: us, RU: ru } }, treaty: readTreatyFile(defaultTreatyPath()), now: () => Math.floor(Date.now() / 1000), log: () => undefined });
try {
  const url = demo.gateways.get('US')!.url;
  const name = username('US', 'reviewer');
  const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password: demo.logins.get(name) }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  for (const path of ['/api/requests', '/api/requests/US-2021-001']) {
    const result = await runLoad({ mode: 'read', url, path, cookie, ratePerSecond: RATE, seconds: SECONDS });
    if (result.failed > 0) throw new Error(`${result.failed} reads of ${path} failed`);
    report(`gateway read GET ${path} at ${RATE}/s for ${SECONDS} s (${result.accepted} requests), p99`, percentile(result.latenciesMs, 99), 'ms', 20, 'lower', `p50 ${percentile(result.latenciesMs, 50).toFixed(2)} ms`);
  }
} finally {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
}
