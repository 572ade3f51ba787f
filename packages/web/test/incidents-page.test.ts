import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requirement } from '@evenhand/testing';
import { chromiumMissing, watchErrors } from './browser.ts';
import { openRequest, screenshot } from './console-actions.ts';
import { useDemoSession } from './demo-session.ts';
import { en } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';

const chromium = requirement('Chromium', chromiumMissing());

/**
 * Issue 17, "Incidents, public", in Chromium against a running demo seeded with the 2021
 * scenario: the public page lists Colonial Pipeline (DarkSide) and JBS (REvil), each with its
 * requests and their status, and shows where the state–criminal nexus does, in English and in
 * Russian; the console offers the incidents when filing, filters the list by one from the URL,
 * and shows a request's incidents and related requests.
 */
describe('incidents on the public page and in the console, in Chromium', { skip: chromium.skip, timeout: 600_000 }, () => {
  const session = useDemoSession('evenhand-web-incidents-');
  const { errors, login } = session;

  it('lists the two 2021 incidents with their requests and status, and the nexus, in English and Russian', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'en-US' });
    watchErrors(page, errors);
    await page.goto(session.demo.exchange);
    await page.getByTestId('incidents').waitFor();
    const colonial = page.getByTestId('incident-colonial-pipeline-2021');
    const jbs = page.getByTestId('incident-jbs-2021');
    assert.equal(await colonial.getByRole('heading', { level: 3 }).textContent(), 'Colonial Pipeline');
    assert.match((await colonial.textContent()) ?? '', /2021-05-07 · energy · registered by US/);
    assert.match((await colonial.textContent()) ?? '', new RegExp(en.incidents.group('DarkSide')));
    const colonialRows = colonial.getByTestId('incident-requests').locator('tbody tr');
    assert.deepEqual(await colonialRows.locator('th').allTextContents(), ['US-2021-001', 'US-2021-003', 'US-2021-004']);
    assert.equal(await colonial.getByTestId('incident-request-US-2021-001').getByTestId('status').textContent(), en.statuses['refused-prosecute-instead']);
    assert.match((await colonial.getByTestId('incident-request-US-2021-001').textContent()) ?? '', new RegExp(`RU: ${en.obligations['prosecution-report']}`), 'the prosecution that never reports shows, with who owes the report');
    assert.equal(await jbs.getByTestId('incident-request-US-2021-002').getByTestId('status').textContent(), en.statuses.acknowledged);
    assert.match((await jbs.getByTestId('incident-request-US-2021-002').textContent()) ?? '', new RegExp(`RU: ${en.obligations.decide}`), 'the silence shows, with who owes the decision');
    assert.match((await jbs.textContent()) ?? '', new RegExp(en.incidents.group('REvil')));
    // The nexus in plain words: RU refused on nationality and owes the prosecution's outcome on DarkSide; on REvil it is silent.
    const sentences = await page.getByTestId('nexus-sentences').locator('li').allTextContents();
    assert.ok(sentences.some((line) => line.startsWith('RU, on the group DarkSide: refused 1 request') && /no outcome reported/.test(line)), sentences.join(' | '));
    assert.ok(sentences.some((line) => line.startsWith('RU, on the group REvil: left 1 request unanswered past the deadline')), sentences.join(' | '));
    assert.doesNotMatch((await page.getByTestId('incidents').textContent()) ?? '', /ds-affiliate|revil-affiliate|sealed identity/, 'no pseudonym, nothing sealed');
    await screenshot(page, '50-public-incidents-en');

    await page.getByRole('button', { name: ru.common.languageName }).click();
    await page.getByRole('heading', { level: 2, name: ru.incidents.heading }).waitFor();
    assert.equal(await page.getByTestId('incident-jbs-2021').getByTestId('incident-request-US-2021-002').getByTestId('status').textContent(), ru.statuses.acknowledged);
    assert.match((await page.getByTestId('incident-colonial-pipeline-2021').textContent()) ?? '', new RegExp(ru.sectors.energy!));
    assert.equal(await page.getByRole('heading', { level: 2, name: ru.incidents.nexusHeading }).count(), 1);
    await screenshot(page, '51-public-incidents-ru');
    await page.close();
  });

  it('offers the incidents when filing, filters the list by one from the URL, and links a request to its incidents and related requests', async () => {
    const { us } = session.demo;
    const clerk = await login('us', 'clerk');
    await clerk.goto(`${us}/#/file`);
    const selector = clerk.getByRole('group', { name: en.incidents.field });
    await selector.waitFor();
    assert.deepEqual(await selector.locator('label').allTextContents().then((labels) => labels.map((label) => label.trim())), [en.incidents.option('Colonial Pipeline', '2021-05-07', 'DarkSide'), en.incidents.option('JBS', '2021-05-30', 'REvil')]);

    // A clerk registers an incident from the console, then files a request that names it and
    // relates to an earlier one; the new incident is ticked once the log holds it.
    await clerk.getByTestId('register-incident').locator('summary').click();
    const register = clerk.getByRole('form', { name: en.registerIncident.form });
    await register.getByLabel(en.registerIncident.id).fill('kaseya-2021');
    await register.getByLabel(en.registerIncident.name).fill('Kaseya VSA');
    await register.getByLabel(en.registerIncident.date).fill('2021-07-02');
    await register.getByLabel(en.registerIncident.description).fill('Ransomware pushed through a managed-service provider’s remote management tool.');
    await register.getByLabel(en.registerIncident.group).fill('REvil');
    await register.getByRole('button', { name: en.registerIncident.submit }).click();
    await register.getByRole('status').waitFor();
    const kaseya = selector.getByLabel(en.incidents.option('Kaseya VSA', '2021-07-02', 'REvil'));
    await kaseya.waitFor();
    assert.equal(await kaseya.isChecked(), true, 'the incident just registered is ticked for this filing');
    await clerk.getByLabel('Request id').fill('US-2026-K01');
    await clerk.getByLabel('Requested party', { exact: true }).selectOption('RU');
    await clerk.getByLabel("Subject's pseudonymous id (never a name)").fill('kaseya-affiliate');
    await clerk.getByRole('group', { name: "Subject's nationalities" }).getByLabel('RU').check();
    await clerk.getByLabel('Age at the offence (years)').fill('33');
    await clerk.getByRole('group', { name: 'Offence categories' }).getByLabel(/Extortion by ransomware/).check();
    await clerk.getByLabel('Date of the offence').fill(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10));
    await clerk.getByLabel(en.filing.related).fill('US-2021-002');
    await clerk.getByLabel(en.filing.relation).selectOption({ label: en.incidents.relations['same-group']! });
    await clerk.getByRole('button', { name: 'File request' }).click();
    await clerk.getByTestId('detail-status').or(clerk.locator('.field-error, [role=alert]')).first().waitFor();
    assert.equal(await clerk.getByTestId('detail-status').count(), 1, `filing refused: ${await clerk.locator('.field-error, [role=alert]').allTextContents()}`);
    await clerk.getByTestId('detail-incidents').filter({ hasText: 'Kaseya VSA' }).waitFor();
    assert.match((await clerk.getByTestId('detail-related').textContent()) ?? '', /It names: US-2021-002 \(same group\)/);

    await clerk.goto(`${us}/#/requests?incident=jbs-2021`);
    await clerk.getByTestId('requests').waitFor();
    assert.deepEqual(await clerk.getByTestId('requests').locator('tbody th a').allTextContents(), ['US-2021-002']);
    assert.equal(await clerk.locator('#filter-incident').inputValue(), 'jbs-2021');
    await clerk.locator('#filter-incident').selectOption('colonial-pipeline-2021');
    await clerk.waitForURL(/incident=colonial-pipeline-2021/);
    await clerk.getByTestId('row-US-2021-003').waitFor();
    assert.deepEqual((await clerk.getByTestId('requests').locator('tbody th a').allTextContents()).sort(), ['US-2021-001', 'US-2021-003', 'US-2021-004']);

    await openRequest(clerk, us, 'US-2021-004');
    assert.equal(await clerk.getByTestId('detail-incidents').getByRole('link').textContent(), en.incidents.option('Colonial Pipeline', '2021-05-07', 'DarkSide'));
    assert.match((await clerk.getByTestId('detail-related').textContent()) ?? '', /It names: US-2021-001 \(co-accused\)/);
    // The previous request's detail stays on screen until the next one loads: wait for this one's links.
    await openRequest(clerk, us, 'US-2021-001');
    await clerk.getByTestId('detail-related').filter({ hasText: /Named by: US-2021-003 \(same group\), US-2021-004 \(co-accused\)/ }).waitFor();
    await screenshot(clerk, '52-console-request-incidents');
  });

  it('logged no error in the browser console', () => {
    assert.deepEqual(errors, []);
  });
});
