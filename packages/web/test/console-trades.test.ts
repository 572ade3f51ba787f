import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requirement } from '@evenhand/testing';
import { chromiumMissing } from './browser.ts';
import { screenshot } from './console-actions.ts';
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

  it('a US approver sees a proposed trade and signs it, the RU approver signs and commits it, both see it committed', async () => {
    const { us, ru } = session.demo;
    const usApprover = await login('us', 'approver-1');

    // The trade, proposed through the gateway's JSON API with the approver's own session: the
    // scenario's grant conditional on reciprocity (RU-2021-001, US gives to RU) against a
    // voluntary transfer of a pardoned prisoner from RU to the US. Equal count: one each way.
    const api = usApprover.context().request;
    const me = (await (await api.get(`${us}/api/me`)).json()) as { csrfToken: string };
    const deadline = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const proposed = await api.post(`${us}/api/trades`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { trade: TRADE, legs: [{ kind: 'request', request: 'RU-2021-001' }, { kind: 'voluntary', from: 'RU', to: 'US', subject: 'pardoned-web-01', reason: 'pardon' }], coordinator: 'US', deadline },
      timeout: 30_000,
    });
    assert.equal(proposed.status(), 201, await proposed.text());

    // From the main navigation to the list, where the row says what the US still has to do.
    await usApprover.getByRole('link', { name: 'Trades', exact: true }).click();
    const row = usApprover.getByTestId(`trade-row-${TRADE}`);
    const listDeadline = Date.now() + 120_000;
    while ((await row.count()) === 0) {
      if (Date.now() > listDeadline) throw new Error(`trade ${TRADE} did not appear in the US list in 120 s`);
      await usApprover.getByTestId('trades').or(usApprover.locator('.state.empty')).or(usApprover.getByRole('alert')).first().waitFor();
      if ((await row.count()) > 0) break;
      await usApprover.waitForTimeout(500);
      await usApprover.getByRole('button', { name: 'Refresh' }).click();
    }
    assert.equal(await row.getByTestId('trade-status').textContent(), 'proposed');
    assert.match((await row.getByTestId('trade-todo').textContent()) ?? '', /^sign/);
    assert.match((await row.textContent()) ?? '', /bank-fraud-04: US → RU \(request RU-2021-001\).*pardoned-web-01: RU → US \(voluntary: pardon\).*in (29|30) d \d+ h/);
    await screenshot(usApprover, '20-us-trades');

    // The detail, and the US signature from the keyboard.
    await row.getByRole('link', { name: TRADE }).click();
    await openTrade(usApprover, us, TRADE, 'status proposed', statusIs('proposed'));
    const sign = usApprover.getByRole('button', { name: 'Sign for US', exact: true });
    await sign.focus();
    await usApprover.keyboard.press('Enter');
    await usApprover.getByRole('status').filter({ hasText: /Signed for US as log entry \d+\.$/ }).waitFor();
    await screenshot(usApprover, '21-us-trade-signed');

    // RU's approver signs once RU's gateway shows the US signature: the last signature commits.
    const ruApprover = await login('ru', 'approver-2');
    await openTrade(ruApprover, ru, TRADE, 'the US signature', async (page) => (await page.getByTestId('signature-US').textContent()) === 'US: signed');
    await ruApprover.getByRole('button', { name: 'Sign for RU and commit' }).click();
    await ruApprover.getByRole('status').filter({ hasText: /the trade is committed as log entry \d+/ }).waitFor();

    await openTrade(ruApprover, ru, TRADE, 'status committed', statusIs('committed'));
    await openTrade(usApprover, us, TRADE, 'status committed', statusIs('committed'));
    assert.equal(await ruApprover.getByRole('button', { name: /^Sign/ }).count(), 0, 'nothing left to sign');
    // The coordinator (US) now has each handover to attest.
    assert.match((await usApprover.getByTestId('trade-detail-todo').textContent()) ?? '', /attest legs 1 and 2/);
    await screenshot(usApprover, '22-us-trade-committed');
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
