import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countOpenSessions, deleteExpiredSessions, destroyCaseKey, listDecryptions, type Store } from '../src/index.ts';
import { sqliteEngine } from './dialects.ts';
import { sqlitePlansOf } from './query-plans.ts';

/**
 * The statements that a request or a periodic round makes on tables that history fills (issue
 * 14, migration 0020) each find their rows through an index, never by reading the table whole:
 * checked on SQLite's query plans of the statements the store's functions send.
 */
describe('statements on tables that history fills go through an index (SQLite query plans)', () => {
  const engine = sqliteEngine();
  let store: Store;
  before(async () => {
    store = await engine.open();
  });
  after(async () => {
    await store.close();
    await engine.cleanup();
  });

  const indexedOnly = (plans: readonly { sql: string; plan: string }[], expected: number, index: RegExp) => {
    assert.equal(plans.length, expected, plans.map((plan) => plan.sql).join('\n'));
    for (const { sql, plan } of plans) {
      assert.doesNotMatch(plan, /\bSCAN\b/, `${sql}: ${plan}`);
      assert.doesNotMatch(plan, /TEMP B-TREE/, `no sort: ${sql}: ${plan}`);
      assert.match(plan, index, `${sql}: ${plan}`);
    }
  };

  it('an erasure finds the case’s filed draft and its proposals by index, though filed drafts and closed proposals are kept', async () => {
    const plans = await sqlitePlansOf(store.db, (db) => destroyCaseKey({ ...store, db }, 'US-2021-001', 7, 1_000));
    indexedOnly(plans, 3, /USING (INDEX (gateway_drafts_filed|gateway_proposals_request|sqlite_autoindex_gateway_case_keys_1)|PRIMARY KEY)/);
    assert.match(plans.map((plan) => plan.plan).join('\n'), /gateway_drafts_filed[\s\S]*gateway_proposals_request/);
  });

  it('the metrics count the open sessions, and a login deletes the expired ones, by the index on their expiry', async () => {
    indexedOnly(await sqlitePlansOf(store.db, (db) => countOpenSessions(db, 1_000)), 1, /sessions_expiry \(expires_at>\?\)/);
    indexedOnly(await sqlitePlansOf(store.db, (db) => deleteExpiredSessions(db, 1_000)), 1, /sessions_expiry \(expires_at<\?\)/);
  });

  it('the decryption audit of one official on one case reads that pair’s rows, newest first, without a sort', async () => {
    indexedOnly(await sqlitePlansOf(store.db, (db) => listDecryptions(db, { limit: 50, official: 'us-clerk', subjectId: 'US-2021-001' })), 1, /gateway_decryptions_official_subject \(official=\? AND subject_id=\?\)/);
    indexedOnly(await sqlitePlansOf(store.db, (db) => listDecryptions(db, { limit: 50, before: 900, official: 'us-clerk', subjectId: 'US-2021-001' })), 1, /gateway_decryptions_official_subject \(official=\? AND subject_id=\? AND (rowid|id)<\?\)/);
  });
});
