import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requirement } from '@evenhand/testing';
import { chromiumMissing, watchErrors } from './browser.ts';
import { act, openRequest, screenshot, waitForTimeline } from './console-actions.ts';
import { useDemoSession } from './demo-session.ts';
import { en } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';

const chromium = requirement('Chromium', chromiumMissing());
const ID = 'US-2026-901';
/** The ground's title in the 2021 treaty, as choices and decisions name it. */
const NATIONALITY = 'National of the requested party';

/** The fields of the filing form a clerk fills in: a national of the requested party, for illegal access. */
async function fillFiling(page: Page, id: string, requested = 'RU'): Promise<void> {
  await page.getByLabel('Request id').fill(id);
  await page.getByLabel('Requested party', { exact: true }).selectOption(requested);
  // A name where a pseudonym belongs: the treaty's schema objects next to the field, as typed.
  await page.getByLabel("Subject's pseudonymous id (never a name)").fill('Ivan Petrov');
  await page.getByTestId('error-pseudonym').waitFor();
  await page.getByLabel("Subject's pseudonymous id (never a name)").fill('web-subject-901');
  await page.getByTestId('error-pseudonym').waitFor({ state: 'detached' });
  await page.getByRole('group', { name: "Subject's nationalities" }).getByLabel(requested).check();
  await page.getByLabel('Age at the offence (years)').fill('29');
  await page.getByRole('group', { name: 'Offence categories' }).getByLabel(/Illegal access/).check();
  await page.getByLabel('Date of the offence').fill('2025-03-14');
  await page.getByLabel('Identity of the person (sealed: only the parties can read it)').fill('Sealed identity of web-subject-901');
}

/** The acts offered on the open request, by their form's name, in the order shown. */
async function actNames(page: Page): Promise<string[]> {
  return page.getByTestId('acts').getByRole('form').evaluateAll((forms) => forms.map((form) => form.getAttribute('aria-label') ?? ''));
}

/** As an approver on a request's page: proposes the decision of that choice (reasons where given). */
async function proposeDecision(page: Page, choice: string, reasons: string | undefined): Promise<void> {
  const form = page.getByRole('form', { name: 'Propose a decision' });
  await form.getByLabel('Choice').selectOption({ label: choice });
  if (reasons) await form.getByLabel(/Reasons \(sealed\)/).fill(reasons);
  await form.getByRole('button', { name: 'Propose a decision (first approver)' }).click();
  await page.getByTestId('proposal').waitFor();
}

async function figure(page: Page, exchange: string, key: string): Promise<number> {
  await page.goto(exchange);
  await page.getByTestId('verify-command').waitFor();
  const cell = page.getByTestId(`figure-US-RU-${key}`);
  return (await cell.count()) === 0 ? 0 : Number(await cell.textContent());
}

describe('the console and the transparency page in Chromium, against a running demo', { skip: chromium.skip, timeout: 600_000 }, () => {
  const session = useDemoSession('evenhand-web-');
  const { errors, login } = session;
  let draftId = '';

  it('files, acknowledges, consults, refuses on nationality with two approvers, and shows it to the US and the public', async () => {
    const { us, ru, exchange } = session.demo;
    const publicPage = await session.browser.newPage({ viewport: { width: 1200, height: 900 } });
    watchErrors(publicPage, errors);
    const filedBefore = await figure(publicPage, exchange, 'filed');
    const nationalityBefore = await figure(publicPage, exchange, 'ground-nationality');
    await screenshot(publicPage, '01-transparency-before');

    // Issue 15: an RU reviewer asks the console to tell them of new incoming requests.
    const reviewer = await login('ru', 'reviewer');
    await reviewer.getByTestId('notify-settings').locator('summary').click();
    // Its first look (counting "new" from when the live stream opened) follows the choice.
    const baseline = reviewer.waitForResponse((response) => new URL(response.url()).pathname === '/api/tasks');
    await reviewer.getByLabel(en.notify.newIncoming).check();
    await baseline;

    // 1. A US clerk files; first a draft (for the access check below), then the request.
    const clerk = await login('us', 'clerk');
    await clerk.getByTestId('owed-by-us').or(clerk.getByText(en.inbox.nothingOwedByUs)).first().waitFor();
    await clerk.goto(`${us}/#/requests`);
    await clerk.getByTestId('requests').waitFor();
    await screenshot(clerk, '02-us-inbox');
    await clerk.goto(`${us}/#/file`);
    await fillFiling(clerk, `${ID}-draft`);
    await clerk.getByRole('button', { name: 'Save as draft' }).click();
    // The saved draft opens in the filing form, filled, to edit, file or delete.
    await clerk.waitForURL(/#\/drafts\/draft-/);
    await clerk.getByRole('button', { name: en.drafts.delete }).waitFor();
    assert.equal(await clerk.getByLabel('Request id').inputValue(), `${ID}-draft`);
    draftId = decodeURIComponent(new URL(clerk.url()).hash.split('/').pop()!);
    assert.match(draftId, /^draft-/);
    // The drafts list (a page at a time, filtered by the gateway) shows it among those not filed yet, and not among the filed.
    await clerk.goto(`${us}/#/drafts`);
    await clerk.getByLabel(en.drafts.show).selectOption('open');
    await clerk.getByTestId('drafts').getByRole('link', { name: `${ID}-draft` }).waitFor();
    await clerk.getByLabel(en.drafts.show).selectOption('filed');
    await clerk.getByText(en.drafts.empty).waitFor();
    await clerk.goto(`${us}/#/file`);
    await fillFiling(clerk, ID);
    assert.match((await clerk.getByTestId('preview-verdict').textContent()) ?? '', new RegExp(`RU may refuse on ${NATIONALITY}`), 'the preview names the nationality ground RU may cite');
    await screenshot(clerk, '03-us-file-form');
    await clerk.getByRole('button', { name: 'File request' }).click();
    // Issue 11: the new request opens at once, without an error (the gateway waits for its mirror).
    await clerk.getByTestId('detail-status').waitFor();
    assert.equal(await clerk.getByTestId('detail-status').textContent(), en.statuses.filed);
    assert.equal(await clerk.getByRole('alert').count(), 0, 'no error on the newly filed request');

    // 2. The RU reviewer is told of it, without reloading, then acknowledges it and consults on
    // nationality. Only the acts that apply are offered, acknowledgement (the most urgent) first.
    await reviewer.getByTestId('alert').filter({ hasText: en.notify.incoming(ID) }).waitFor();
    await openRequest(reviewer, ru, ID, 'filed');
    assert.deepEqual(await actNames(reviewer), ['Acknowledge receipt', 'Report the arrest', 'Consult the requesting party']);
    assert.equal(await reviewer.locator('form.urgent').getAttribute('data-act'), 'request.acknowledge');
    await act(reviewer, 'Acknowledge receipt');
    await openRequest(reviewer, ru, ID, 'acknowledged');
    assert.ok(!(await actNames(reviewer)).includes('Acknowledge receipt'), 'acknowledging is no longer offered');
    assert.ok(!(await actNames(reviewer)).includes('Record the surrender'), 'nor is the surrender of a person not granted');
    await act(reviewer, 'Consult the requesting party', async (form) => {
      await form.getByLabel('Choice').selectOption({ label: `consult on ${NATIONALITY}` });
      await form.getByLabel(/Message/).fill('The person is a national of the Russian Federation.');
    });
    await reviewer.goto(`${ru}/#/requests`);
    await reviewer.getByTestId(`row-${ID}`).waitFor();
    await screenshot(reviewer, '04-ru-inbox');

    // The consultation the treaty requires (UNTOC art. 16(16)): the US answers it.
    await waitForTimeline(clerk, us, ID, 'request.consult');
    await act(clerk, 'Reply to the consultation', async (form) => {
      await form.getByLabel(/Reply/).fill('The United States asks for prosecution instead.');
    });
    await waitForTimeline(reviewer, ru, ID, 'request.consult-reply');

    // 3. Two RU approvers: the first proposes the refusal, the second confirms it.
    const first = await login('ru', 'approver-1');
    await waitForTimeline(first, ru, ID, 'request.consult-reply');
    await proposeDecision(first, `refuse and prosecute instead on ${NATIONALITY}`, 'Constitution of the Russian Federation art. 61(1).');
    assert.equal(await first.getByRole('button', { name: 'Confirm as second approver' }).count(), 0, 'the proposer cannot confirm their own proposal');
    await screenshot(first, '05-ru-detail-proposed');
    const second = await login('ru', 'approver-2');
    await openRequest(second, ru, ID, 'acknowledged');
    await second.getByRole('button', { name: 'Confirm as second approver' }).click();
    await second.getByText(/Confirmed: signed as log entry \d+/).waitFor().catch(async (error: unknown) => {
      await screenshot(second, 'failed-confirm');
      throw error;
    });
    await openRequest(second, ru, ID, 'refused-prosecute-instead');
    await openRequest(reviewer, ru, ID, 'refused-prosecute-instead');
    // Only "opened" can come first, so it is the one way offered.
    assert.equal(await reviewer.getByRole('form', { name: 'Record a prosecution milestone' }).locator('.variant').textContent(), 'report: proceedings opened');
    await act(reviewer, 'Record a prosecution milestone');

    // 4. The US sees the refusal, its ground and approvers, and the prosecution opened instead.
    await waitForTimeline(clerk, us, ID, 'prosecution.milestone');
    assert.equal(await clerk.getByTestId('detail-status').textContent(), en.statuses['refused-prosecute-instead']);
    assert.match((await clerk.getByTestId('detail-decision').textContent()) ?? '', new RegExp(`refuse and prosecute instead on ${NATIONALITY}.*ru-approver-1 and ru-approver-2`));
    assert.match((await clerk.getByTestId('detail-prosecution').textContent()) ?? '', /proceedings opened/);
    assert.match((await clerk.getByTestId('sealed').textContent()) ?? '', /Sealed identity of web-subject-901/);
    await screenshot(clerk, '06-us-detail-refused');

    // 5. The public figures move: one more US request, one more refusal on nationality.
    assert.equal(await figure(publicPage, exchange, 'filed'), filedBefore + 1);
    assert.equal(await figure(publicPage, exchange, 'ground-nationality'), nationalityBefore + 1);
    assert.doesNotMatch((await publicPage.locator('body').textContent()) ?? '', /web-subject-901|Sealed identity/, 'no pseudonym or sealed field on the public page');
    await screenshot(publicPage, '07-transparency-after');

    for (const [page, path, name] of [[clerk, 'dashboard', '08-us-dashboard'], [clerk, 'log', '09-us-log-health']] as const) {
      await page.goto(`${us}/#/${path}`);
      await page.locator('.chart, [data-testid="health-size"]').first().waitFor();
      await screenshot(page, name);
    }
  });

  it('keeps a US draft from an RU official who has its URL, and gives an observer no action', async () => {
    assert.ok(draftId, 'the flow saved a draft');
    const ruClerk = await login('ru', 'clerk');
    await ruClerk.goto(`${session.demo.ru}/#/drafts/${encodeURIComponent(draftId)}`);
    await ruClerk.getByRole('alert').filter({ hasText: 'NOT_FOUND' }).waitFor();
    assert.equal(await ruClerk.getByTestId('draft-body').count(), 0);
    await screenshot(ruClerk, '10-ru-draft-denied');
    // US law does not bar extraditing nationals, but RU has refused on nationality: the
    // preview of RU's next request offers the US the mirrored ground (Arrangement art. 5(1)).
    await ruClerk.goto(`${session.demo.ru}/#/file`);
    await fillFiling(ruClerk, 'RU-2026-902', 'US');
    assert.match((await ruClerk.getByTestId('preview-verdict').textContent()) ?? '', new RegExp(`US may refuse on [^.;]*${NATIONALITY}`));

    const observer = await login('ru', 'observer');
    await openRequest(observer, session.demo.ru, 'US-2021-002');
    const buttons = await observer.getByRole('button').allTextContents();
    const notActs = new Set([en.common.languageName, 'Русский', en.common.print, en.nav.logOut]);
    assert.deepEqual(buttons.filter((text) => !notActs.has(text)), [], `an observer sees no action button, only: ${buttons.join(', ')}`);
    assert.equal(await observer.getByRole('form').count(), 0);
    await screenshot(observer, '11-ru-observer-detail');
  });

  it('never shows one request\'s detail under another\'s address while that one loads', async () => {
    const observer = await login('us', 'observer');
    await openRequest(observer, session.demo.us, 'US-2021-001');
    // RU-2021-001's answer is held until the page has been looked at: a slow gateway, on demand.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await observer.route((url) => url.pathname === '/api/requests/RU-2021-001', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await observer.goto(`${session.demo.us}/#/requests/RU-2021-001`);
      await observer.getByRole('status').filter({ hasText: en.common.loading(en.detail.what('RU-2021-001')) }).waitFor();
      // Before issue 14's key and version, useFetch kept US-2021-001's answer on screen here.
      assert.equal(await observer.getByTestId('detail-status').count(), 0, 'no status of another request');
      assert.equal(await observer.getByTestId('timeline').count(), 0, 'no timeline of another request');
      release();
      await observer.getByTestId('detail-status').waitFor();
      const timeline = await observer.getByTestId('timeline').locator('td').allTextContents();
      assert.ok(timeline.includes(en.entries['request.file'] ?? 'request.file'), 'RU-2021-001\'s own timeline once it came');
    } finally {
      release();
      await observer.unrouteAll({ behavior: 'ignoreErrors' });
    }
  });

  it('cannot deadlock a decision: a refusal barred by the treaty is refused with its article, an allowed one is withdrawn and replaced', async () => {
    const { us, ru } = session.demo;
    const id = 'US-2026-903';
    const clerk = await login('us', 'clerk');
    await clerk.goto(`${us}/#/file`);
    await fillFiling(clerk, id);
    await clerk.getByRole('button', { name: 'File request' }).click();
    await clerk.getByTestId('detail-status').waitFor();
    const reviewer = await login('ru', 'reviewer');
    await openRequest(reviewer, ru, id, 'filed');
    await act(reviewer, 'Acknowledge receipt');
    const first = await login('ru', 'approver-1');
    await openRequest(first, ru, id, 'acknowledged');
    // Before any consultation, a refusal on nationality is not offered, and the reason names the article.
    const choices = await first.getByRole('form', { name: 'Propose a decision' }).getByLabel('Choice').locator('option').allTextContents();
    assert.ok(!choices.some((choice) => choice.includes(NATIONALITY)), `no refusal on nationality before consulting: ${choices.join(' | ')}`);
    await first.getByText('Acts the rules do not allow now, and why').click();
    assert.match((await first.getByTestId('unavailable').textContent()) ?? '', new RegExp(`refuse and prosecute instead on ${NATIONALITY}\\): CONSULTATION_REQUIRED.*UNTOC art\\. 16\\(16\\)`));
    // The API refuses it too, at once, and nothing is left open to deadlock the request.
    const refused = await first.evaluate(async (path) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const answer = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ decision: 'refuse-prosecute', ground: 'nationality', reasons: 'Constitution art. 61(1).' }) });
      return { status: answer.status, body: (await answer.json()) as { code: string; message: string } };
    }, `/api/requests/${id}/decision-proposals`);
    assert.deepEqual([refused.status, refused.body.code], [422, 'CONSULTATION_REQUIRED']);
    assert.match(refused.body.message, /UNTOC art\. 16\(16\)/);
    // Inside the consultation window the refusal is accepted, with the date it can be confirmed from.
    await openRequest(reviewer, ru, id, 'acknowledged');
    await act(reviewer, 'Consult the requesting party', async (form) => {
      await form.getByLabel('Choice').selectOption({ label: `consult on ${NATIONALITY}` });
    });
    await waitForTimeline(first, ru, id, 'request.consult');
    await proposeDecision(first, `refuse and prosecute instead on ${NATIONALITY}`, 'Constitution art. 61(1).');
    assert.match((await first.getByTestId('proposal').textContent()) ?? '', /Can be confirmed from \d{4}-\d{2}-\d{2}/);
    const second = await login('ru', 'approver-2');
    await openRequest(second, ru, id, 'acknowledged');
    assert.equal(await second.getByRole('button', { name: 'Confirm (not yet possible)' }).isDisabled(), true);
    // The proposer withdraws it (recorded for both states), and a grant replaces it.
    await first.getByRole('button', { name: 'Withdraw my proposal' }).click();
    await first.getByText('Withdrawn; the withdrawal is recorded.').waitFor();
    await waitForTimeline(first, ru, id, 'request.proposal-closed');
    await proposeDecision(first, 'grant', undefined);
    await openRequest(second, ru, id, 'acknowledged');
    await second.getByRole('button', { name: 'Confirm as second approver' }).click();
    await second.getByText(/Confirmed: signed as log entry \d+/).waitFor();
    await openRequest(second, ru, id, 'granted');
    await waitForTimeline(clerk, us, id, 'request.proposal-closed');
    await screenshot(first, '12-ru-proposal-replaced');
  });

  it('carries an emergency disclosure from filing to the data delivered, within its hours (issue 17)', async () => {
    const { us, ru } = session.demo;
    const id = 'US-2026-E01';
    const clerk = await login('us', 'clerk');
    await clerk.goto(`${us}/#/file`);
    await clerk.getByLabel('Request id').fill(id);
    await clerk.getByLabel('Requested party', { exact: true }).selectOption('RU');
    await clerk.getByLabel('Kind', { exact: true }).selectOption({ label: en.kinds['emergency-disclosure']! });
    await clerk.getByLabel("Subject's pseudonymous id (never a name)").fill('web-subject-e01');
    await clerk.getByLabel('Age at the offence (years)').fill('31');
    await clerk.getByRole('group', { name: 'Offence categories' }).getByLabel(/Extortion by ransomware/).check();
    await clerk.getByLabel('Date of the offence').fill('2026-11-29');
    await clerk.getByRole('button', { name: 'File request' }).click();
    await clerk.getByTestId('detail-status').waitFor();
    assert.match((await clerk.getByTestId('detail-contact-point').textContent()) ?? '', /Department K/, 'the case names RU’s 24/7 contact point');

    // RU's reviewer finds it at the top of the inbox, marked, counted down in hours.
    const reviewer = await login('ru', 'reviewer');
    const first = reviewer.getByTestId('owed-by-us').getByTestId('task').first();
    await openRequest(reviewer, ru, id, 'filed');
    await reviewer.goto(`${ru}/#/inbox`);
    await first.waitFor();
    assert.equal(await first.getByTestId('emergency').count(), 1, 'the first task is the emergency');
    // Exactly two hours are left when the inbox reads its clock in the second the entry is dated (CI saw "in 2 h 0 min").
    assert.match((await first.textContent()) ?? '', new RegExp(`${id}.*in (1 h \\d+|2 h 0) min`), 'due within the two hours of acknowledgement');
    await screenshot(reviewer, '09-ru-inbox-emergency');
    await openRequest(reviewer, ru, id, 'filed');
    await act(reviewer, 'Acknowledge receipt');

    // Two RU approvers grant it: a request for data is granted or refused, never traded.
    const approver = await login('ru', 'approver-1');
    await openRequest(approver, ru, id, 'acknowledged');
    const choices = await approver.getByRole('form', { name: 'Propose a decision' }).getByLabel('Choice').locator('option').allTextContents();
    assert.ok(!choices.some((choice) => /reciprocity/.test(choice)), `no grant on condition of reciprocity is offered: ${choices.join('; ')}`);
    await proposeDecision(approver, 'grant', undefined);
    const second = await login('ru', 'approver-2');
    await openRequest(second, ru, id, 'acknowledged');
    await second.getByRole('button', { name: 'Confirm as second approver' }).click();
    await openRequest(reviewer, ru, id, 'granted');

    // The reviewer delivers the data as a file of the sealed evidence store.
    const data = Buffer.from('subscriber of 203.0.113.7 on 2026-11-29: account ex-4411');
    const deliver = reviewer.getByRole('form', { name: 'Deliver the data' });
    await deliver.getByLabel(/Files with the data/).setInputFiles({ name: 'subscriber.txt', mimeType: 'text/plain', buffer: data });
    await deliver.getByTestId('uploaded').or(deliver.locator('.field-error')).first().waitFor();
    assert.equal(await deliver.locator('.field-error').count(), 0, `the upload failed: ${await deliver.locator('.field-error').allTextContents()}`);
    await act(reviewer, 'Deliver the data');

    // The US reads it, and it came before the delivery deadline of eight hours from the grant.
    await openRequest(clerk, us, id, 'provided');
    const link = clerk.getByTestId('detail-provided').getByRole('link');
    const download = clerk.waitForEvent('download');
    await link.click();
    const file = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of file) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), data);
    const view = (await (await clerk.request.get(`${us}/api/requests/${id}`)).json()) as { decision: { at: number }; data: { providedAt: number } };
    assert.ok(view.data.providedAt <= view.decision.at + 8 * 3_600, 'delivered within the eight hours (EU Regulation 2023/1543 art. 10(4))');
    await screenshot(clerk, '10-us-data-delivered');
  });

  it('shows how far a gateway catching up with the log is, on its Log health page and above every screen, in English and Russian', async () => {
    for (const [locale, messages] of [['en-US', en], ['ru-RU', ru]] as const) {
      const page = await login('us', 'observer', locale);
      // The demo's gateways are caught up: the live answer, with what a gateway started on an
      // empty database gives while it takes the log a chunk at a time (server gateway/catch-up.ts).
      await page.route('**/api/log-health', async (route) => {
        const answer = await route.fetch();
        const live = (await answer.json()) as Record<string, unknown>;
        await route.fulfill({ response: answer, json: { ...live, checkpoint: null, catchingUp: { from: 0, to: 1_000_000, held: 114_688, since: 1_764_460_800 } } });
      });
      await page.goto(`${session.demo.us}/#/log`);
      const section = page.getByRole('region', { name: messages.health.catchingUp });
      await section.waitFor();
      assert.match((await section.getByTestId('catching-up').textContent()) ?? '', /114\D?688\D+1\D?000\D?000\D+11[.,]5/, `${locale}: held, target and percent`);
      const bar = section.getByRole('progressbar', { name: messages.health.catchingUp });
      assert.deepEqual([await bar.getAttribute('value'), await bar.getAttribute('max')], ['114688', '1000000']);
      assert.equal(await page.getByText(messages.health.noCheckpoint).count(), 1, `${locale}: no checkpoint verified yet`);
      await screenshot(page, `11-us-log-catching-up-${locale}`);
      // Every screen says the lists are partial while the catch-up lasts, and links to the Log health page.
      // (The banner asked when the console opened, before the route: a load asks again.)
      await page.goto(`${session.demo.us}/#/inbox`);
      await page.reload();
      const banner = page.getByTestId('catch-up-banner');
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? '', /114\D?688\D+1\D?000\D?000\D+11[.,]5/, `${locale}: the banner's held, target and percent`);
      assert.equal(await banner.getByRole('link', { name: messages.nav.log }).getAttribute('href'), '#/log');
      await screenshot(page, `12-us-inbox-catching-up-${locale}`);
      // The erasures the demo's ended cases will owe are the gateway's own act, said in words, not as an empty role.
      await page.getByText(messages.inbox.byGateway, { exact: false }).first().waitFor();
      const inbox = (await page.locator('main').textContent()) ?? '';
      assert.doesNotMatch(inbox, /\b(request|trade|prosecution)\.[a-z-]+|«»|for an? (,|\/|$)/, `${locale}: no entry type's code, no empty role`);
      // The Log health page shows the catch-up itself, without the banner.
      await page.goto(`${session.demo.us}/#/log`);
      await section.waitFor();
      assert.equal(await banner.count(), 0, `${locale}: no banner on the Log health page`);
      await page.goto(`${session.demo.us}/#/requests`);
      await banner.waitFor();
      // Once the gateway answers that it is caught up, the banner goes at its next question (every 5 s).
      await page.unroute('**/api/log-health');
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
      await page.context().close();
    }
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(errors, []);
  });
});
