import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requirement } from '@evenhand/testing';
import { accessibilityViolations, describeViolations } from './axe.ts';
import { chromiumMissing, launch, watchErrors } from './browser.ts';
import { openRequest } from './console-actions.ts';
import { useDemoSession } from './demo-session.ts';

const chromium = requirement('Chromium', chromiumMissing());

/** Waits until no screen on the page is still loading, then audits it. */
async function audited(page: Page, what: string): Promise<void> {
  await page.locator('.state.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
  await page.locator('main, form').first().waitFor();
  const violations = await accessibilityViolations(page);
  assert.equal(violations.length, 0, `${what}: WCAG 2.1 A/AA violations:\n${describeViolations(violations)}`);
}

/**
 * Every screen of the console and the public transparency page, audited with axe-core
 * against WCAG 2.1 levels A and AA, in Debian's Chromium against a running demo.
 */
describe('accessibility of the console and the transparency page (axe-core, WCAG 2.1 AA)', { skip: chromium.skip, timeout: 600_000 }, () => {
  const session = useDemoSession('evenhand-a11y-');

  it('the login page', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      watchErrors(page, session.errors);
      await page.goto(session.demo.us);
      await page.getByLabel('Username').waitFor();
      await audited(page, 'login');
    } finally {
      await browser.close();
    }
  });

  it('each screen of the console, as a clerk and as an approver', async () => {
    const { us } = session.demo;
    const clerk = await session.login('us', 'clerk');
    for (const path of ['requests', 'file', 'drafts', 'trades', 'dashboard', 'log']) {
      await clerk.goto(`${us}/#/${path}`);
      await audited(clerk, `#/${path}`);
    }
    // The filing form with its errors showing, as an official sees it while typing.
    await clerk.goto(`${us}/#/file`);
    await clerk.getByLabel("Subject's pseudonymous id (never a name)").fill('Ivan Petrov');
    await clerk.getByTestId('error-pseudonym').waitFor();
    await audited(clerk, '#/file with an error');
    const approver = await session.login('us', 'approver-1');
    await openRequest(approver, us, 'RU-2021-004');
    await audited(approver, 'a request with its acts');
    await approver.goto(`${us}/#/trades`);
    await approver.getByRole('form', { name: 'Propose a trade' }).waitFor();
    await audited(approver, '#/trades with the form to propose a trade');
    // RU's approver: a decision to propose, and the trade it has to sign.
    const ruApprover = await session.login('ru', 'approver-1');
    await openRequest(ruApprover, session.demo.ru, 'US-2021-002');
    await ruApprover.getByRole('form', { name: 'Propose a decision' }).waitFor();
    await audited(ruApprover, 'a request with the decision form');
    await ruApprover.goto(`${session.demo.ru}/#/trades/T-2021-1`);
    await ruApprover.getByRole('form', { name: 'Sign the trade' }).waitFor();
    await audited(ruApprover, 'a trade with its acts');
  });

  it('the public transparency page', async () => {
    const page = await session.browser.newPage();
    watchErrors(page, session.errors);
    await page.goto(session.demo.exchange);
    await page.getByTestId('verify-command').waitFor();
    await audited(page, 'transparency page');
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(session.errors, []);
  });
});
