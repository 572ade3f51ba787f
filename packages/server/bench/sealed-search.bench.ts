/**
 * Issue 14, "free-text search … for a gateway's officials, over the sealed fields they may
 * read": what a page of GET /api/requests?q= costs when the words are in no public field, so
 * that the gateway opens sealed members to look for them, a page's worth at most
 * (request-search.ts SEALED_SCAN_BUDGET). US files `sizes` requests through its gateway, each
 * with a sealed identity and statement; RU's clerk then asks for a word found nowhere, first
 * with nothing opened yet (each entry read and decrypted), then again (the gateway's cache of
 * opened members), and for a word of one request's sealed statement.
 * Goals: a page's time does not grow with the number of requests (issue 14: "a page's
 * response time and size do not depend on the size of the log"); a page from the cache within
 * the 20 ms of a first page.
 *
 * Run: npm run bench -- sealed-search [requests per size …]   (200 and 800 by default)
 */
import { SECONDS_PER_DAY } from '@evenhand/core';
import { report } from '@evenhand/testing';
import { adoptTreaty, loginEveryone, startGatewayStack } from '../test/gateway-stack.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
if (sizes.length === 0) sizes.push(200, 800);

async function measure(count: number): Promise<{ firstMs: number; cachedMs: number; foundMs: number; opened: string | null }> {
  const stack = await startGatewayStack();
  try {
    const { us, ru } = await loginEveryone(stack);
    const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], t0);
    const offenceDate = new Date((t0 - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
    for (let i = 0; i < count; i++) {
      const filing = { request: `US-S${i}`, requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${i}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, identity: `Person ${i}, born 1990`, statement: `The facts of case ${i}: where and when, with the names of those involved.`, at: t0 + 60 + i };
      const filed = await us.clerk!.call('POST', '/api/requests?wait=false', filing);
      if (filed.status !== 201) throw new Error(`filing ${i}: ${filed.status} ${JSON.stringify(filed.body)}`);
      if ((i + 1) % 200 === 0) console.error(`  ${i + 1} of ${count} filed`);
    }
    await stack.syncAll();
    const timed = async (q: string) => {
      const started = performance.now();
      const answer = await ru.clerk!.call('GET', `/api/requests?q=${encodeURIComponent(q)}`);
      if (answer.status !== 200) throw new Error(`search ${q}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { ms: performance.now() - started, next: answer.body.next as string | null, items: (answer.body.items as { id: string }[]).map((row) => row.id) };
    };
    const first = await timed('nowhere-to-be-found');
    const cached = await timed('nowhere-to-be-found');
    // In the first page's reach: the budget's worth of requests from the oldest.
    const found = await timed(`case ${Math.min(count - 1, 50)}:`);
    if (!found.items.includes(`US-S${Math.min(count - 1, 50)}`)) throw new Error(`the sealed statement of US-S${Math.min(count - 1, 50)} was not found: ${JSON.stringify(found)}`);
    return { firstMs: first.ms, cachedMs: cached.ms, foundMs: found.ms, opened: first.next };
  } finally {
    await stack.close();
  }
}

const results: { count: number; firstMs: number; cachedMs: number }[] = [];
for (const count of sizes) {
  const measured = await measure(count);
  console.log(`${count} requests: a page with nothing opened yet ${measured.firstMs.toFixed(1)} ms (it went on from request ${measured.opened}), the same from the cache ${measured.cachedMs.toFixed(1)} ms, a word of one sealed statement ${measured.foundMs.toFixed(1)} ms`);
  results.push({ count, ...measured });
}
const last = results[results.length - 1]!;
report(`sealed search, a page from the cache of opened members, ${last.count} requests`, last.cachedMs, 'ms', 20, 'lower');
if (results.length >= 2) {
  const first = results[0]!;
  const exponent = Math.log(last.firstMs / first.firstMs) / Math.log(last.count / first.count);
  report(`growth exponent of a sealed-search page with nothing opened, ${first.count} → ${last.count} requests`, exponent, '', 0.2, 'lower', `${first.firstMs.toFixed(1)} → ${last.firstMs.toFixed(1)} ms`);
}
