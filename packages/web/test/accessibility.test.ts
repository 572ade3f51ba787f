import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requirement } from '@evenhand/testing';
import { accessibilityViolations, describeViolations } from './axe.ts';
import { chromiumMissing, launch, watchErrors } from './browser.ts';
import { ARTIFACTS, openRequest, screenshot } from './console-actions.ts';
import { ru } from '../src/i18n/ru.ts';
import { join } from 'node:path';
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
    for (const path of ['inbox', 'requests', 'file', 'drafts', 'trades', 'dashboard', 'log']) {
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

  it('every screen in Russian: <html lang="ru">, the Russian catalogue, and no violation', async () => {
    const { us, ru: ruGateway, exchange } = session.demo;
    const clerk = await session.login('ru', 'clerk', 'ru-RU');
    assert.equal(await clerk.locator('html').getAttribute('lang'), 'ru');
    await clerk.getByRole('navigation').getByText(ru.nav.inbox).waitFor();
    for (const path of ['inbox', 'requests', 'file', 'drafts', 'trades', 'dashboard', 'log']) {
      await clerk.goto(`${ruGateway}/#/${path}`);
      await audited(clerk, `ru #/${path}`);
    }
    await openRequest(clerk, ruGateway, 'US-2021-002');
    assert.equal(await clerk.getByTestId('detail-status').textContent(), ru.statuses.acknowledged);
    await audited(clerk, 'ru: a request');
    await screenshot(clerk, '30-ru-request-in-russian');
    // Switched by hand, remembered: the US approver picks Russian and keeps it after a reload.
    const approver = await session.login('us', 'approver-1');
    await approver.getByRole('button', { name: ru.common.languageName }).click();
    await approver.reload();
    await approver.getByRole('navigation').getByText(ru.nav.requests).waitFor();
    assert.equal(await approver.locator('html').getAttribute('lang'), 'ru');
    const publicPage = await (await session.browser.newContext({ locale: 'ru-RU' })).newPage();
    watchErrors(publicPage, session.errors);
    await publicPage.goto(exchange);
    await publicPage.getByTestId('verify-command').waitFor();
    await publicPage.getByRole('heading', { name: ru.public.overdueHeading }).waitFor();
    await audited(publicPage, 'ru: the transparency page');
    void us;
  });

  it('scrolls no screen sideways at 390 px, in either language', async () => {
    const { us, exchange } = session.demo;
    for (const locale of ['en-US', 'ru-RU']) {
      const page = await session.login('us', 'reviewer', locale);
      await page.setViewportSize({ width: 390, height: 844 });
      const wide: string[] = [];
      for (const path of ['inbox', 'requests', 'requests/RU-2021-004', 'drafts', 'trades', 'trades/T-2021-1', 'dashboard', 'log']) {
        await page.goto(`${us}/#/${path}`);
        await page.locator('.state.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
        await page.locator('main h2').first().waitFor();
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        if (width > 390) wide.push(`#/${path}: ${width} px`);
      }
      const publicPage = await (await session.browser.newContext({ locale, viewport: { width: 390, height: 844 } })).newPage();
      await publicPage.goto(exchange);
      await publicPage.getByTestId('verify-command').waitFor();
      const width = Number(await publicPage.evaluate('document.documentElement.scrollWidth'));
      if (width > 390) wide.push(`public page: ${width} px`);
      assert.deepEqual(wide, [], `${locale}: screens wider than 390 px`);
      if (locale === 'en-US') await screenshot(page, '31-us-requests-390px');
    }
  });

  it('prints a request as a case file: no navigation or forms, sealed content marked CONFIDENTIAL', async () => {
    const { us } = session.demo;
    const clerk = await session.login('us', 'clerk');
    await openRequest(clerk, us, 'US-2021-002');
    await clerk.emulateMedia({ media: 'print' });
    // Evaluated in the page (the test itself is type-checked without the DOM library).
    const hidden = await clerk.evaluate(`['.top nav', '.who', 'form', 'button'].map((selector) => [...document.querySelectorAll(selector)].every((node) => getComputedStyle(node).display === 'none'))`);
    assert.deepEqual(hidden, [true, true, true, true], 'navigation, the header’s controls, forms and buttons do not print');
    assert.ok(await clerk.locator('.confidential').isVisible(), 'the sealed section is marked');
    const pdf = await clerk.pdf({ path: join(ARTIFACTS, '32-us-case-file.pdf'), format: 'A4' });
    assert.ok(pdf.length > 10_000, `a case file of ${pdf.length} bytes`);
    await clerk.screenshot({ path: join(ARTIFACTS, '32-us-case-file-print.png'), fullPage: true });
  });

  it('the public transparency page', async () => {
    const page = await session.browser.newPage();
    watchErrors(page, session.errors);
    await page.goto(session.demo.exchange);
    await page.getByTestId('verify-command').waitFor();
    await audited(page, 'transparency page');
  });

  it('the explanation of case proofs, in English and in Russian', async () => {
    for (const locale of ['en-US', 'ru-RU']) {
      const page = await (await session.browser.newContext({ locale })).newPage();
      watchErrors(page, session.errors);
      await page.goto(`${session.demo.exchange}/case-proofs`);
      await page.getByTestId('exit-codes').waitFor();
      await audited(page, `${locale}: /case-proofs`);
      await page.close();
    }
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(session.errors, []);
  });
});
