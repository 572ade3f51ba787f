// Time from submitting the login form to a usable inbox (the requests table rendered), on
// loopback, in Debian's Chromium against a running demo (issue 5: goal ≤ 1 s). Each run is a
// fresh browser context, so nothing is cached; the median of the runs is reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, report } from '@evenhand/testing';
import { chromiumMissing, launch } from '../test/browser.ts';
import { startDemo } from '../test/demo-process.ts';

const RUNS = 7;
const missing = chromiumMissing();
if (missing) {
  console.log(`time to a usable inbox: skipped, ${missing}`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'evenhand-web-bench-'));
const demo = await startDemo(join(dir, 'demo'));
const browser = await launch();
try {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(demo.us);
    await page.getByLabel('Username').fill('us-reviewer');
    await page.getByLabel('Password').fill(demo.logins['us-reviewer']!);
    const start = performance.now();
    await page.getByLabel('Password').press('Enter');
    await page.getByTestId('requests').locator('tbody tr').first().waitFor();
    samples.push((performance.now() - start) / 1000);
    await context.close();
  }
  report('time to a usable inbox after login', percentile(samples, 50), 's', 1, 'lower', `median of ${RUNS}, max ${Math.max(...samples).toFixed(3)} s, US gateway with the 2021 scenario`);
} finally {
  await browser.close();
  await demo.stop();
  rmSync(dir, { recursive: true, force: true });
}
