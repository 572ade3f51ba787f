import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Route } from 'playwright-core';
import { requirement } from '@evenhand/testing';
import { chromiumMissing, watchErrors } from './browser.ts';
import { screenshot } from './console-actions.ts';
import { useDemoSession } from './demo-session.ts';
import { en } from '../src/i18n/en.ts';

const chromium = requirement('Chromium', chromiumMissing());

/** The cursor the routes below give the first page, so that a page follows it (the demo has fewer rows than a page). */
const MORE = 'more-after-the-first-page';

/**
 * Answers `route` with the first page the server gives (asked without the cursor, which the
 * server would refuse), changed by `edit`: a page that says there is more, or the page that
 * follows it.
 */
async function answerFromFirstPage(route: Route, edit: (page: { items: Record<string, unknown>[]; next: string | null }) => { items: unknown[]; next: string | null }): Promise<void> {
  const url = new URL(route.request().url());
  url.searchParams.delete('after');
  const answer = await route.fetch({ url: url.toString() });
  // A refusal goes to the page as the server gave it, for the test to fail on what the page asked.
  if (!answer.ok()) return route.fulfill({ response: answer });
  const page = (await answer.json()) as { items: Record<string, unknown>[]; next: string | null };
  await route.fulfill({ response: answer, json: { ...page, ...edit(page) } });
}

/**
 * Issue 14, "pages and search on the server", as an official and a journalist read them while
 * the log grows: the pages read with "More" stay on screen when the log grows (on a busy
 * exchange it grows every second), and the public list of overdue obligations goes on at the
 * size and instant of the page it follows; and a form that reads a list whole, to a bound, says
 * when the list goes on beyond it.
 */
describe('pages read on, while the log grows and to a bound, in Chromium', { skip: chromium.skip, timeout: 600_000 }, () => {
  const session = useDemoSession('evenhand-web-pages-');
  const { errors, login } = session;

  it('keeps the pages read with "More" when the log grows, without loading the first page again', async () => {
    const { us } = session.demo;
    const observer = await login('us', 'observer');
    const firstPages: string[] = [];
    await observer.route((url) => url.pathname === '/api/requests', (route) => {
      const asked = new URL(route.request().url());
      if (asked.searchParams.get('after') !== MORE) {
        firstPages.push(asked.search);
        return answerFromFirstPage(route, (page) => ({ items: page.items, next: MORE }));
      }
      return answerFromFirstPage(route, (page) => ({ items: [{ ...page.items[0], id: 'US-MORE-1' }], next: null }));
    });
    try {
      await observer.goto(`${us}/#/requests`);
      await observer.getByTestId('requests').waitFor();
      await observer.getByTestId('requests-more').click();
      await observer.getByTestId('row-US-MORE-1').waitFor();
      const rows = await observer.getByTestId('requests').locator('tbody tr').count();
      const loaded = firstPages.length;

      // The log grows: a US clerk files a request. The requests screen hears it from the live
      // stream and reloads what it shows beside the list (its incidents); the list keeps its pages.
      const clerk = await login('us', 'clerk');
      const me = (await (await clerk.request.get(`${us}/api/me`)).json()) as { csrfToken: string };
      // Only a question asked from the filing on: the screen's first one, or a growth before, is no sign of it.
      let filing = false;
      const grown = observer.waitForRequest((request) => filing && new URL(request.url()).pathname === '/api/incidents', { timeout: 60_000 });
      filing = true;
      const filed = await clerk.request.post(`${us}/api/requests`, {
        headers: { 'x-csrf-token': me.csrfToken },
        data: {
          request: 'US-2026-950',
          requested: 'RU',
          kind: 'extradition',
          purpose: 'prosecution',
          subject: { pseudonym: 'web-subject-950', nationalities: ['UA'], ageAtOffence: 31 },
          offences: ['computer-fraud'],
          offenceDate: '2025-02-03',
          facts: { finalJudgment: false, amnesty: false, politicalOffence: false, discriminationRisk: false, militaryOffence: false, fiscalOffence: false, pendingProceedings: false },
          sealed: { identity: 'Sealed identity of web-subject-950' },
        },
      });
      assert.equal(filed.status(), 201, await filed.text());
      await (await grown).response();
      await clerk.context().close();

      assert.equal(firstPages.length, loaded, `the first page was not asked for again: ${firstPages.join(', ')}`);
      assert.equal(await observer.getByTestId('row-US-MORE-1').count(), 1, 'the row read with "More" is still shown');
      assert.equal(await observer.getByTestId('requests').locator('tbody tr').count(), rows, 'every row read so far is still shown');
      await screenshot(observer, '50-us-requests-more-kept');
      // A reload starts the list over, at the grown log: the new request is on its first page.
      await observer.reload();
      await observer.getByTestId('row-US-2026-950').waitFor();
      assert.equal(await observer.getByTestId('row-US-MORE-1').count(), 0, 'a reload starts from the first page');
    } finally {
      await observer.unrouteAll({ behavior: 'ignoreErrors' });
      await observer.context().close();
    }
  });

  it("reads the public list's next page at the size and instant of the page it follows, each row overdue from its own instant", async () => {
    const { exchange } = session.demo;
    const page = await session.browser.newPage({ viewport: { width: 1200, height: 900 } });
    watchErrors(page, errors);
    const asked: URLSearchParams[] = [];
    await page.route((url) => url.pathname === '/v1/deadlines' && url.searchParams.get('overdue') === 'true', (route) => {
      const query = new URL(route.request().url()).searchParams;
      asked.push(query);
      if (query.get('after') !== MORE) return answerFromFirstPage(route, (served) => ({ items: served.items, next: MORE }));
      return answerFromFirstPage(route, (served) => ({ items: [{ ...served.items[0], request: 'US-MORE-1' }], next: null }));
    });
    try {
      await page.goto(exchange);
      const rows = page.getByTestId('overdue').locator('tbody tr');
      await rows.first().waitFor();
      const before = await rows.count();
      const asking = page.waitForRequest((request) => new URL(request.url()).pathname === '/v1/deadlines' && new URL(request.url()).searchParams.get('after') === MORE);
      await page.getByTestId('overdue-more').click();
      const more = new URL((await asking).url()).searchParams;
      const first = asked[0]!;
      assert.ok(Number(first.get('size')) > 0 && Number(first.get('at')) > 0, `the first page names a size and an instant: ${first.toString()}`);
      assert.deepEqual([more.get('size'), more.get('at')], [first.get('size'), first.get('at')], 'the next page is read at the first page\'s size and instant');
      await page.getByTestId('overdue').getByRole('cell', { name: 'US-MORE-1', exact: true }).waitFor();
      assert.equal(await rows.count(), before + 1);
      for (const overdueBy of await rows.locator('td:nth-child(5)').allTextContents()) assert.match(overdueBy, /^\d[\d,.\s]* (days?|h)$/, overdueBy);
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await page.close();
    }
  });

  it('says so when the pool of open grants goes on beyond the pages the trade form reads', async () => {
    const { us } = session.demo;
    const approver = await login('us', 'approver-1');
    // Every page says there is more, and the pages after the first are empty: a counterpart with
    // no grant in a large pool, where each page examines the gateway's budget and finds none.
    let pages = 0;
    await approver.route((url) => url.pathname === '/api/trade-pool', (route) => {
      pages += 1;
      const asked = new URL(route.request().url());
      return answerFromFirstPage(route, (page) => ({ items: asked.searchParams.get('after') ? [] : page.items, next: MORE }));
    });
    try {
      await approver.goto(`${us}/#/trades`);
      const form = approver.getByRole('form', { name: en.trades.propose });
      const notice = form.getByTestId('pool-cut');
      await notice.waitFor({ timeout: 60_000 });
      assert.equal(pages, 50, 'the form read its 50 pages, and no more');
      const shown = await form.getByRole('group', { name: /Legs/ }).getByRole('checkbox').count();
      assert.equal(await notice.textContent(), en.trades.poolCut(shown));
    } finally {
      await approver.unrouteAll({ behavior: 'ignoreErrors' });
      await approver.context().close();
    }
  });

  it("draws the dashboard from the gateway's months, without reading the requests a page at a time", async () => {
    const { us } = session.demo;
    const observer = await login('us', 'observer');
    const asked: string[] = [];
    observer.on('request', (request) => asked.push(new URL(request.url()).pathname));
    try {
      await observer.goto(`${us}/#/dashboard`);
      const section = observer.getByTestId('counterpart-RU');
      await section.locator('svg').first().waitFor();
      const answer = (await (await observer.request.get(`${us}/api/dashboard`)).json()) as { counterparts: { counterpart: string; months: string[]; filedIncoming: number[]; filedOutgoing: number[]; surrendered: number[]; received: number[]; before: { surrendered: number; received: number } }[] };
      const ru = answer.counterparts.find((pair) => pair.counterpart === 'RU')!;
      assert.ok(ru, 'the gateway counts months with RU');
      assert.equal(asked.filter((path) => path === '/api/requests').length, 0, `no request page read: ${asked.join(', ')}`);
      assert.ok(asked.includes('/api/dashboard'), 'the months asked for');
      // Each month of filings as the chart says it to a screen reader, and the running balance at the last month.
      const chart = (title: string | RegExp) => section.locator('figure', { has: observer.locator('figcaption', { hasText: title }) }).locator('svg[role="img"]');
      const filed = (await chart(en.dashboard.filedPerMonth('US', 'RU')).getAttribute('aria-label')) ?? '';
      const busy = ru.months.findIndex((_, month) => ru.filedIncoming[month]! + ru.filedOutgoing[month]! > 0);
      assert.ok(busy >= 0, 'the demo filed extraditions between the US and RU');
      assert.ok(filed.includes(`${ru.months[busy]}: ${en.dashboard.inboxSeries('RU', 'US')} ${ru.filedIncoming[busy]}, ${en.dashboard.outboxSeries('US', 'RU')} ${ru.filedOutgoing[busy]}`), filed);
      const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
      const net = ru.before.received + total(ru.received) - ru.before.surrendered - total(ru.surrendered);
      // The days to a decision, each bucket as the statistics count it: the US decides RU's requests (RU → US), RU the US's.
      type Figures = { requesting: string; requested: string; decisionDays: { decided: number[]; pending: number[] } };
      const pairs = ((await (await observer.request.get(`${us}/api/statistics`)).json()) as { pairs: Figures[] }).pairs;
      const [ruToUs, usToRu] = [['RU', 'US'], ['US', 'RU']].map(([requesting, requested]) => pairs.find((pair) => pair.requesting === requesting && pair.requested === requested)!.decisionDays);
      const days = (await chart(/^Days from filing to decision/).getAttribute('aria-label')) ?? '';
      const [usDeciding, ruDeciding] = [en.dashboard.deciding('US', 'RU'), en.dashboard.deciding('RU', 'US')];
      const bucket = (place: number) => `${usDeciding} ${ruToUs!.decided[place]}, ${usDeciding}: ${en.dashboard.undecided} ${ruToUs!.pending[place]}, ${ruDeciding} ${usToRu!.decided[place]}, ${ruDeciding}: ${en.dashboard.undecided} ${usToRu!.pending[place]}`;
      assert.ok(ruToUs!.decided.some((value, place) => value !== usToRu!.decided[place]), 'the demo decided differently each way, so the directions can be told apart');
      for (const place of [0, 1, 2, 3, 4]) assert.ok(days.includes(bucket(place)), `bucket ${place}: ${bucket(place)} in ${days}`);
      const balance = (await chart(en.dashboard.balance('RU', 'US')).getAttribute('aria-label')) ?? '';
      const running = balance.split('; ').at(-1)!;
      assert.ok(running.startsWith(`${en.dashboard.balanceSeries}: `) && running.endsWith(`${ru.months.at(-1)} ${net}`), `the balance ends at ${net}: ${running.slice(-200)}`);
    } finally {
      await observer.context().close();
    }
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(errors, []);
  });
});
