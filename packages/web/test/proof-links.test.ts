import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { APIResponse, Page } from 'playwright-core';
import { checkCaseProof, parseCaseProof } from '@evenhand/log';
import { requirement } from '@evenhand/testing';
import { chromiumMissing, watchErrors } from './browser.ts';
import { openRequest, screenshot } from './console-actions.ts';
import { useDemoSession } from './demo-session.ts';
import { en } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';

const chromium = requirement('Chromium', chromiumMissing());

/** A downloaded case proof: a named JSON attachment that checks offline, about `subject`. */
async function expectProof(response: APIResponse, subject: { type: string; id: string }): Promise<void> {
  assert.equal(response.status(), 200, await response.text());
  assert.match(response.headers()['content-disposition'] ?? '', new RegExp(`^attachment; filename="evenhand-proof-${subject.id}-`));
  const bundle = parseCaseProof(await response.text());
  assert.ok(bundle.ok, bundle.ok ? '' : bundle.error.message);
  const checked = checkCaseProof(bundle.value);
  assert.ok(checked.ok, checked.ok ? '' : `${checked.error.code}: ${checked.error.message}`);
  assert.deepEqual(checked.value.proof.subject, subject);
}

/** The absolute URL of a link on the page. */
async function linkUrl(page: Page, testId: string): Promise<string> {
  const href = await page.getByTestId(testId).first().getAttribute('href');
  assert.ok(href, `${testId} has an href`);
  return new URL(href, page.url()).toString();
}

/**
 * Issue 13, "Where people get them", in Chromium against a running demo: the console offers
 * "Download proof" on a request and a trade, the public page links a proof for every overdue
 * obligation, and the page explaining what a proof shows renders in English and Russian.
 */
describe('case proofs in the console and on the public page, in Chromium', { skip: chromium.skip, timeout: 600_000 }, () => {
  const session = useDemoSession('evenhand-web-proofs-');
  const { errors, login } = session;

  it('offers "Download proof" on a request and on a trade, with the proof that an overdue deadline went unanswered', async () => {
    const { us } = session.demo;
    const page = await login('us', 'observer');
    await openRequest(page, us, 'US-2021-002');
    const download = page.getByRole('link', { name: en.proofs.download });
    assert.equal(await download.getAttribute('href'), '/api/requests/US-2021-002/proof');
    assert.equal(await download.getAttribute('download'), '');
    await expectProof(await page.request.get(await linkUrl(page, 'download-proof')), { type: 'request', id: 'US-2021-002' });
    assert.equal(await page.getByRole('link', { name: en.proofs.downloadUnanswered(en.obligations.decide!) }).count(), 1, 'the overdue decision has its proof');
    await expectProof(await page.request.get(await linkUrl(page, 'unanswered-proof-decide')), { type: 'request', id: 'US-2021-002' });
    await screenshot(page, '40-us-request-proof');

    await page.goto(`${us}/#/trades/T-2021-1`);
    await page.getByTestId('trade-detail-status').waitFor();
    assert.equal(await page.getByRole('link', { name: en.proofs.download }).getAttribute('href'), '/api/trades/T-2021-1/proof');
    await expectProof(await page.request.get(await linkUrl(page, 'download-proof')), { type: 'trade', id: 'T-2021-1' });
    assert.equal(await page.getByRole('link', { name: en.proofs.about }).getAttribute('href'), '/case-proofs');
  });

  it('links a proof for every overdue obligation on the public page, without login', async () => {
    const { exchange } = session.demo;
    const page = await session.browser.newPage({ viewport: { width: 1200, height: 900 } });
    watchErrors(page, errors);
    await page.goto(exchange);
    await page.getByTestId('overdue').waitFor();
    const rows = page.getByTestId('overdue').locator('tbody tr');
    const count = await rows.count();
    assert.ok(count > 0, 'the 2021 scenario leaves obligations overdue');
    assert.equal(await page.getByTestId('overdue-proof').count(), count, 'one proof per overdue row');
    // Each row counts "overdue by" from the instant it was read at (the fifth column): a number of days, never NaN.
    for (const overdueBy of await rows.locator('td:nth-child(5)').allTextContents()) assert.match(overdueBy, /^\d[\d,.\s]* (days?|h)$/, overdueBy);
    const hrefs = await page.getByTestId('overdue-proof').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    for (const href of hrefs) assert.match(href, /^\/v1\/(requests\/[^/]+\/proof\?unanswered=[a-z-]+|trades\/[^/]+\/proof)$/);
    const decide = hrefs.find((href) => href === '/v1/requests/US-2021-002/proof?unanswered=decide');
    assert.ok(decide, `US-2021-002's overdue decision is linked: ${hrefs.join(', ')}`);
    const response = await page.request.get(new URL(decide, exchange).toString());
    await expectProof(response, { type: 'request', id: 'US-2021-002' });
    assert.equal(await page.getByRole('link', { name: en.proofs.about }).getAttribute('href'), '/case-proofs');
    await screenshot(page, '41-public-overdue-proofs');
    await page.close();
  });

  it('explains what a proof shows and how to check it, in English and in Russian, on the exchange and in the console', async () => {
    const { exchange, us } = session.demo;
    const page = await session.browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'en-US' });
    watchErrors(page, errors);
    await page.goto(`${exchange}/case-proofs`);
    await page.getByRole('heading', { level: 1, name: en.proofs.title }).waitFor();
    assert.match((await page.getByTestId('check-command').textContent()) ?? '', /check-proof /);
    assert.equal(await page.getByTestId('exit-codes').locator('li').count(), 3);
    assert.match((await page.getByTestId('unanswered-example').textContent()) ?? '', /has not decided .* still open at checkpoint/);
    await screenshot(page, '42-case-proofs-en');
    await page.getByRole('button', { name: ru.common.languageName }).click();
    await page.getByRole('heading', { level: 1, name: ru.proofs.title }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assert.equal(await page.getByRole('heading', { level: 2, name: ru.proofs.unansweredHeading }).count(), 1);
    assert.equal(await page.title(), ru.proofs.tabTitle);
    await screenshot(page, '43-case-proofs-ru');
    // The gateway serves it too, for the console's link; the choice of language stays with the browser's origin.
    await page.goto(`${us}/case-proofs`);
    await page.getByRole('heading', { level: 1, name: en.proofs.title }).waitFor();
    await page.close();
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(errors, []);
  });
});
