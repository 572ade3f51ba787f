import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requirement } from '@evenhand/testing';
import { chromiumMissing } from './browser.ts';
import { openRequest, screenshot } from './console-actions.ts';
import { useDemoSession } from './demo-session.ts';

const chromium = requirement('Chromium', chromiumMissing());
const TRADE = 'T-WEB-1';

/**
 * Reloads the trade's detail until `ready` holds, bounded by `timeoutMs`. A gateway shows an
 * entry once its verified copy of the log includes it, which follows the exchange's
 * witnessed checkpoints, so a trade or a signature another state made shows a moment later.
 */
async function openTrade(page: Page, gateway: string, id: string, what: string, ready: (page: Page) => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const url = `${gateway}/#/trades/${encodeURIComponent(id)}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  for (;;) {
    await page.getByTestId('trade-detail-status').or(page.getByRole('alert')).first().waitFor();
    if ((await page.getByTestId('trade-detail-status').count()) > 0 && (await ready(page))) return;
    if (Date.now() > deadline) {
      await screenshot(page, `failed-trade-${what.replaceAll(' ', '-')}`);
      throw new Error(`trade ${id} did not show ${what} at ${gateway} in ${timeoutMs / 1000} s`);
    }
    await page.waitForTimeout(500);
    await page.reload();
  }
}

const statusIs = (status: string) => async (page: Page) => (await page.getByTestId('trade-detail-status').textContent()) === status;

describe('trades in the console in Chromium, against a running demo', { skip: chromium.skip, timeout: 600_000 }, () => {
  const session = useDemoSession('evenhand-web-trades-');
  const { errors, login } = session;

  it('RU grants on reciprocity, a US approver proposes a trade from the open grants, two approvers of each state sign, and the commit is confirmed', async () => {
    const { us, ru } = session.demo;
    // RU's two approvers grant US-2021-002 on condition of reciprocity: a second leg for the pool.
    const ruFirst = await login('ru', 'approver-1');
    await openRequest(ruFirst, ru, 'US-2021-002', 'acknowledged');
    const decide = ruFirst.getByRole('form', { name: 'Propose a decision' });
    await decide.getByLabel('Choice').selectOption({ label: 'grant, on condition of reciprocity' });
    await decide.getByRole('button', { name: 'Propose a decision (first approver)' }).click();
    await ruFirst.getByTestId('proposal').waitFor();
    const ruSecond = await login('ru', 'approver-2');
    await openRequest(ruSecond, ru, 'US-2021-002', 'acknowledged');
    await ruSecond.getByRole('button', { name: 'Confirm as second approver' }).click();
    await ruSecond.getByText(/Confirmed: signed as log entry \d+/).waitFor();

    // The US approver proposes the trade from the console's form: the two open grants, one each way.
    const usFirst = await login('us', 'approver-1');
    await usFirst.getByRole('link', { name: 'Trades', exact: true }).click();
    const form = usFirst.getByRole('form', { name: 'Propose a trade' });
    const legs = form.getByRole('group', { name: /Legs/ });
    const poolDeadline = Date.now() + 120_000;
    // The form shows its Legs once the treaty and the pool have loaded; count only then. Counting
    // right after a reload raced the two requests, and lost for 120 s in the project's CI on stop 55.
    const poolShown = async () => {
      await legs.or(usFirst.getByRole('alert')).first().waitFor();
      return legs.getByLabel(/US-2021-002/).count();
    };
    while ((await poolShown()) === 0) {
      if (Date.now() > poolDeadline) {
        // What the US gateway's mirror saw (its alarms and the size it verified): once in CI 44 the grant never arrived, and nothing said why.
        const health = await usFirst.evaluate(async () => (await fetch('/api/log-health')).text());
        throw new Error(`the RU grant did not reach the US pool in 120 s; US /api/log-health: ${health}`);
      }
      await usFirst.waitForTimeout(500);
      await usFirst.reload();
    }
    await legs.getByLabel(/US-2021-002/).check();
    assert.match((await form.getByTestId('trade-flows').textContent()) ?? '', /not balanced/);
    await legs.getByLabel(/RU-2021-001/).check();
    assert.match((await form.getByTestId('trade-flows').textContent()) ?? '', /RU gives 1, receives 1; US gives 1, receives 1 \(balanced\)/);
    await form.getByLabel('Trade id').fill(TRADE);
    await form.getByRole('button', { name: 'Propose the trade' }).click();
    await openTrade(usFirst, us, TRADE, 'status proposed', statusIs('proposed'));
    assert.match((await usFirst.getByTestId('trade-detail-todo').textContent()) ?? '', /^sign \(two approvers\)/);
    await screenshot(usFirst, '20-us-trade-proposed');

    // The US signature: one approver proposes it from the keyboard, the other confirms.
    const sign = usFirst.getByRole('button', { name: 'Sign the trade (first approver)' });
    await sign.focus();
    await usFirst.keyboard.press('Enter');
    await usFirst.getByTestId('proposal').waitFor();
    const usSecond = await login('us', 'approver-2');
    await openTrade(usSecond, us, TRADE, 'the US proposal', async (page) => (await page.getByTestId('proposal').count()) > 0);
    await usSecond.getByRole('button', { name: 'Confirm as second approver' }).click();
    await usSecond.getByRole('status').filter({ hasText: /Confirmed: signed as log entry \d+\.$/ }).waitFor();
    await screenshot(usSecond, '21-us-trade-signed');

    // RU's signature is the last one: proposing it and confirming it each ask once more, since it commits.
    await openTrade(ruFirst, ru, TRADE, 'the US signature', async (page) => (await page.getByTestId('signature-US').textContent()) === 'US: signed');
    await ruFirst.getByRole('button', { name: 'Sign the trade (first approver)' }).click();
    await ruFirst.getByRole('alert').filter({ hasText: /commits the trade/ }).waitFor();
    await ruFirst.getByRole('button', { name: 'Yes, sign the trade' }).click();
    await ruFirst.getByTestId('proposal').waitFor();
    await openTrade(ruSecond, ru, TRADE, 'the RU proposal', async (page) => (await page.getByTestId('proposal').count()) > 0);
    await ruSecond.getByRole('button', { name: 'Confirm as second approver' }).click();
    await ruSecond.getByRole('alert').filter({ hasText: /commits the trade/ }).waitFor();
    await ruSecond.getByRole('button', { name: 'Yes, confirm and commit' }).click();
    await ruSecond.getByRole('status').filter({ hasText: /the trade committed as entry \d+/ }).waitFor();

    await openTrade(ruSecond, ru, TRADE, 'status committed', statusIs('committed'));
    await openTrade(usFirst, us, TRADE, 'status committed', statusIs('committed'));
    assert.equal(await ruSecond.getByRole('button', { name: /Sign the trade/ }).count(), 0, 'nothing left to sign');
    // Whoever coordinates, each giver hands over its own leg: the US reviewer is offered the US leg.
    assert.match((await usFirst.getByTestId('trade-detail-todo').textContent()) ?? '', /hand over leg \d/);
    const usReviewer = await login('us', 'reviewer');
    await openTrade(usReviewer, us, TRADE, 'status committed', statusIs('committed'));
    await usReviewer.getByRole('form', { name: 'Record the handover' }).waitFor();
    await screenshot(usFirst, '22-us-trade-committed');
  });

  it('gives an observer the trade to read and no button to act', async () => {
    const observer = await login('ru', 'observer');
    await openTrade(observer, session.demo.ru, TRADE, 'status committed', statusIs('committed'));
    const buttons = await observer.getByRole('button').allTextContents();
    assert.deepEqual(buttons.filter((text) => /sign|attest|confirm/i.test(text)), [], `an observer has no act, only: ${buttons.join(', ')}`);
    assert.equal(await observer.getByRole('form').count(), 0);
    assert.equal(await observer.getByRole('checkbox').count(), 0);
    await screenshot(observer, '23-ru-observer-trade');
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(errors, []);
  });
});
