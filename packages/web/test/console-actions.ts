import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { en } from '../src/i18n/en.ts';
import { watchErrors } from './browser.ts';

/** Screenshots of each main screen, kept as test artifacts (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/web/', import.meta.url));

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A fresh browser context per official, so each has its own session cookie; `locale` is the browser's language. */
export async function loginAs(browser: Browser, gateway: string, username: string, password: string, errors: string[], locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  watchErrors(page, errors);
  await page.goto(gateway);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  // From the keyboard: Enter in the password field submits the form.
  await page.locator('#login-password').press('Enter');
  await page.getByTestId('role').waitFor();
  return page;
}

/**
 * Opens a request and waits until its state reads `status` (a status token such as
 * "refused-prosecute-instead", shown in English words). The gateway's replay follows
 * the exchange's witnessed checkpoints, so a just-signed entry may take a moment to show:
 * reload until it does, bounded by `timeoutMs`.
 */
export async function openRequest(page: Page, gateway: string, id: string, status?: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const url = `${gateway}/#/requests/${encodeURIComponent(id)}`;
  // A goto that changes only the hash would not fetch again: reload when already there.
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  for (;;) {
    await page.getByTestId('detail-status').or(page.getByRole('alert')).first().waitFor();
    const shown = await page.getByTestId('detail-status').textContent().catch(() => null);
    if (shown !== null && (status === undefined || shown === (en.statuses[status] ?? status))) return;
    if (Date.now() > deadline) throw new Error(`request ${id} did not reach ${status ?? 'the console'} in ${timeoutMs / 1000} s (shows ${shown ?? 'an error'})`);
    await page.waitForTimeout(500);
    await page.reload();
  }
}

/** Waits, reloading, until the request's timeline lists an entry of a type (e.g. "request.consult-reply"). */
export async function waitForTimeline(page: Page, gateway: string, id: string, type: string, timeoutMs = 60_000): Promise<void> {
  const entry = en.entries[type] ?? type;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openRequest(page, gateway, id, undefined, timeoutMs);
    const cells = await page.getByTestId('timeline').locator('td').allTextContents();
    if (cells.includes(entry)) return;
    if (Date.now() > deadline) throw new Error(`the timeline of ${id} did not show "${entry}" in ${timeoutMs / 1000} s`);
    await page.waitForTimeout(500);
  }
}

/** Submits one act's form on the detail page and waits for the gateway's acknowledgement, which stays in view once the act no longer applies. */
export async function act(page: Page, formName: string, fill: (form: ReturnType<Page['getByRole']>) => Promise<void> = async () => undefined): Promise<void> {
  const form = page.getByRole('form', { name: formName });
  await fill(form);
  await form.getByRole('button', { name: formName }).click();
  await page.getByTestId('act-notice').filter({ hasText: new RegExp(`^${formName}: signed and submitted as log entry \\d+`) }).waitFor();
}
