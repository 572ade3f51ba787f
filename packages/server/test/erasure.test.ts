import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, getRequest, SECONDS_PER_DAY, type CaseKeyWrap } from '@evenhand/core';
import { checkCaseProof, parseCaseProof, parseEntry, parsePolicy } from '@evenhand/log';
import { findCaseKey, readEntries } from '@evenhand/store';
import { scenarioPolicy, waitFor } from '@evenhand/testing';
import { openAtRest, openUnderCaseKey, unwrapCaseKey } from '../src/sealing/case-key.ts';
import { unseal } from '../src/sealing/seal.ts';
import { adoptTreaty, loginEveryone, startGatewayStack, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 17, "erasure that fits an append-only log", end to end over loopback: a request whose
 * statement holds a unique marker is filed, carried to an end, and the clock moved past the
 * treaty's retention period. Both gateways then erase it by themselves. From a copy of every
 * log entry, each gateway's database file and every key each gateway still holds, the marker
 * and the case key can no longer be recovered; the officials see "erased"; proofs and figures,
 * which read public fields only, still verify.
 */
describe('erasure of a case after its retention period, over loopback', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  let t0 = 0;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const MARKER = `marker-${randomBytes(12).toString('hex')}`;
  /** The ring file a gateway keeps beside its seal key (transport-ring.ts). */
  const ringOf = (party: string) => JSON.parse(readFileSync(join(stack.dir, `${party}-seal.jwk.case-keys`), 'utf8')) as { local: string; transport: { kid: string; privateJwk: Record<string, string> }[] };
  let caseKey: Uint8Array | undefined;
  /** An evidence file of the case, sealed under its case key (routes-evidence.ts ?request=). */
  let evidenceRef = '';
  let sealedAtRest: Record<string, string> = {};

  before(async () => {
    stack = await startGatewayStack();
    t0 = stack.clock.now();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    const offenceDate = new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
    // An attachment uploaded before the filing: sealed under the key reserved for US-E1, which the filing then wraps.
    const uploaded = await us.clerk!.upload('/api/evidence?request=US-E1', Buffer.from(`chat logs: ${MARKER}`), 'chat.txt');
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    evidenceRef = uploaded.body.ref as string;
    const filed = await us.clerk!.call('POST', '/api/requests', { request: 'US-E1', evidence: [evidenceRef], requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'p-e1', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, statement: `The statement of facts: ${MARKER}`, at: day(1) });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    await waitFor('US-E1 in the RU mirror', async () => (await ru.reviewer!.call('GET', '/api/requests/US-E1')).status === 200);
    assert.equal((await ru.reviewer!.call('POST', '/api/requests/US-E1/actions/acknowledge', { at: day(2) })).status, 201);
    assert.equal((await ru.reviewer!.download(`/api/evidence/${evidenceRef}`)).bytes.toString(), `chat logs: ${MARKER}`, 'RU opens the attachment with the case key');
    const withdrawn = await us['approver-1']!.call('POST', '/api/requests/US-E1/actions/withdraw', { reasons: 'the person was found elsewhere', at: day(3) });
    assert.equal(withdrawn.status, 201, JSON.stringify(withdrawn.body));
    await stack.syncAll();
  });
  after(async () => stack?.close());

  it('seals the case under a key of its own, which each party unwraps and reads with', async () => {
    for (const official of [us.clerk!, ru.reviewer!]) {
      const view = await official.call('GET', '/api/requests/US-E1');
      assert.ok(JSON.stringify(view.body.sealed).includes(MARKER), `${official.username} reads the statement`);
      assert.equal(view.body.status, 'withdrawn');
    }
    // Each gateway holds the same case key, sealed at rest under its own local key.
    for (const party of ['US', 'RU']) {
      const gateway = stack.gateways.get(party)!;
      await waitFor(`${party} holds the case key`, async () => (await findCaseKey(gateway.store.db, 'US-E1'))?.eraseAfter != null);
      const row = (await findCaseKey(gateway.store.db, 'US-E1'))!;
      const key = await openAtRest(row.sealedKey!, new Uint8Array(Buffer.from(ringOf(party).local, 'base64url')), 'US-E1');
      assert.ok(key);
      if (caseKey) assert.deepEqual(key, caseKey);
      caseKey = key;
      sealedAtRest[party] = row.sealedKey!;
      assert.equal(row.eraseAfter, addMonths(day(3), 5 * 12), 'erased from five years after the withdrawal (the treaty’s retention)');
    }
    assert.equal((await us.observer!.call('GET', '/api/audit/decryptions?case=US-E1')).body.items.length > 0, true);
    // The search finds the case by a word of its sealed statement (issue 14).
    for (const official of [us.clerk!, ru.reviewer!]) assert.deepEqual(await sealedSearch(official), ['US-E1'], `${official.username} finds it`);
  });

  /** The requests a search for the marker, which only the sealed statement holds, finds. */
  const sealedSearch = async (official: Official) => ((await official.call('GET', `/api/requests?q=${MARKER}`)).body as { items: { id: string }[] }).items.map((row) => row.id);

  it('erases it on time on both sides, after which nothing still held recovers it', async () => {
    const record = getRequest(stack.gateways.get('US')!.gateway.mirror.state, 'US-E1')!;
    stack.clock.advanceTo(addMonths(day(3), 5 * 12) + SECONDS_PER_DAY);
    await waitFor('both erasures in every mirror', async () => {
      await stack.syncAll().catch(() => undefined);
      return [...stack.gateways.values()].every((gateway) => getRequest(gateway.gateway.mirror.state, 'US-E1')?.erasedBy?.length === 2);
    }, 60_000);
    await stack.syncAll();

    // (c) The officials see the case erased, its public fields intact.
    for (const official of [us.clerk!, ru.reviewer!]) {
      const view = await official.call('GET', '/api/requests/US-E1');
      assert.equal(view.status, 200);
      assert.ok(view.body.sealed.length > 0 && view.body.sealed.every((item: { sealed: unknown }) => JSON.stringify(item.sealed) === '{"erased":true}'), JSON.stringify(view.body.sealed));
      assert.equal(view.body.erasure.erasedHere, true);
      assert.deepEqual([view.body.status, view.body.offences], ['withdrawn', ['ransomware-extortion']]);
      assert.equal(JSON.stringify(view.body).includes(MARKER), false);
      assert.deepEqual(await sealedSearch(official), [], 'an erased case is not found by what it held');
    }

    // A copy of every log entry (a backup of the log).
    const size = stack.exchange.sequencer.size;
    const backup = (await readEntries(stack.exchange.store.db, 0, size)).map((row) => parseEntry(row.bytes)).map((entry) => (entry.ok ? entry.value : assert.fail('an entry of the log does not parse')));
    const caseEntries = backup.filter((entry) => (entry.body as { request?: unknown }).request === 'US-E1');
    assert.ok(caseEntries.length >= 5, 'filed, acknowledged, withdrawn, erased twice');
    const wraps = (caseEntries.find((entry) => entry.type === 'request.file')!.body as { caseKeys: CaseKeyWrap[] }).caseKeys;
    const sealedMembers = caseEntries.flatMap((entry) => ((entry.body as { sealed?: { jwe: string } }).sealed ? [(entry.body as { sealed: { jwe: string } }).sealed] : []));
    assert.ok(sealedMembers.length >= 3);

    for (const party of ['US', 'RU']) {
      // (a) Neither the marker nor the case key (nor its sealed form) is in the database files.
      const base = join(stack.dir, `gateway-${party}.db`);
      const files = [base, `${base}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file));
      for (const bytes of files) {
        assert.equal(bytes.includes(Buffer.from(MARKER)), false, `${party}'s database holds the marker`);
        assert.equal(bytes.includes(Buffer.from(caseKey!)), false, `${party}'s database holds the case key`);
        assert.equal(bytes.includes(Buffer.from(Buffer.from(caseKey!).toString('base64url'))), false);
        assert.equal(bytes.includes(Buffer.from(sealedAtRest[party]!)), false, `${party}'s database holds the sealed case key`);
      }
      // (b) No key the gateway still holds opens any sealed member of the case.
      const ring = ringOf(party);
      assert.ok(ring.transport.length >= 1, 'a transport key is in force');
      for (const wrap of wraps) assert.equal(ring.transport.some((key) => key.kid === wrap.kid), false, `${party} still holds transport key ${wrap.kid}`);
      for (const key of ring.transport) {
        for (const wrap of wraps) assert.equal(await unwrapCaseKey(wrap.wrapped, key.privateJwk), undefined);
      }
      const local = new Uint8Array(Buffer.from(ring.local, 'base64url'));
      for (const member of sealedMembers) {
        for (const [kid, jwk] of stack.sealKeys) assert.equal((await unseal(member, kid, jwk)).ok, false, `${kid}'s long-term seal key opens a sealed member`);
        assert.equal(await openUnderCaseKey(member.jwe, local), undefined, 'the local key opens a sealed member');
      }
      // Once the log holds its erasure, the row leaves the timer's index; the tombstone stays.
      await waitFor(`${party}'s case key off the erasure index`, async () => (await findCaseKey(stack.gateways.get(party)!.store.db, 'US-E1'))?.eraseAfter === null);
      assert.equal((await findCaseKey(stack.gateways.get(party)!.store.db, 'US-E1'))?.sealedKey, null);
    }
    // The case's evidence file at the exchange is erased with it: no gateway serves it, no held key opens it.
    const blob = await (await fetch(`${stack.exchange.url}/v1/blobs/${evidenceRef.slice(7)}`)).text();
    for (const official of [us.clerk!, ru.reviewer!]) assert.equal((await official.download(`/api/evidence/${evidenceRef}`)).status, 409, `${official.username} is told the file was erased`);
    for (const party of ['US', 'RU']) assert.equal(await openUnderCaseKey(blob, new Uint8Array(Buffer.from(ringOf(party).local, 'base64url'))), undefined);
    for (const [kid, jwk] of stack.sealKeys) assert.equal((await unseal({ jwe: blob }, kid, jwk)).ok, false);
    assert.ok(JSON.stringify(await openUnderCaseKey(blob, caseKey!)).includes(Buffer.from(`chat logs: ${MARKER}`).toString('base64')), 'the case key opened it');
    // Sanity: the case key captured before erasure did open them, so the check above is not vacuous.
    assert.ok(JSON.stringify(await openUnderCaseKey(sealedMembers[0]!.jwe, caseKey!)).includes(MARKER));
    assert.ok(record.history.length >= 3);
  });

  it('still proves the case and recomputes the figures from public fields', async () => {
    const proof = await fetch(`${stack.exchange.url}/v1/requests/US-E1/proof`);
    assert.equal(proof.status, 200, await proof.clone().text());
    const bundle = parseCaseProof(await proof.text());
    assert.ok(bundle.ok, bundle.ok ? '' : bundle.error.message);
    const policy = parsePolicy(scenarioPolicy(stack.keys, stack.witnessUrls));
    assert.ok(policy.ok);
    const checked = checkCaseProof(bundle.value, policy.value);
    assert.ok(checked.ok, checked.ok ? '' : checked.error.message);
    const statistics = await fetch(`${stack.exchange.url}/v1/statistics`);
    assert.equal(statistics.status, 200);
    const text = await statistics.text();
    assert.ok(text.includes('US') && !text.includes(MARKER));
  });
});
