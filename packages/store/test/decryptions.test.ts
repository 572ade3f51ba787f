import { it } from 'node:test';
import assert from 'node:assert/strict';
import { listDecryptions, recordDecryption } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

describeOnEachEngine('the decryption audit (issue 17)', (context) => {
  it('records who opened which case when, and pages it newest first by official or by case', async () => {
    await recordDecryption(context.store.db, { official: 'us-reviewer', subjectType: 'request', subjectId: 'RU-1', entries: [3, 7], at: 100 });
    await recordDecryption(context.store.db, { official: 'us-clerk', subjectType: 'request', subjectId: 'US-1', entries: [4], at: 200 });
    await recordDecryption(context.store.db, { official: 'us-reviewer', subjectType: 'evidence', subjectId: 'sha256:ab', entries: [], at: 300 });
    const all = await listDecryptions(context.store.db, { limit: 10 });
    assert.deepEqual(all.map((row) => [row.official, row.subjectId, row.at]), [['us-reviewer', 'sha256:ab', 300], ['us-clerk', 'US-1', 200], ['us-reviewer', 'RU-1', 100]]);
    assert.deepEqual(all[2]!.entries, [3, 7]);
    const reviewer = await listDecryptions(context.store.db, { limit: 10, official: 'us-reviewer' });
    assert.deepEqual(reviewer.map((row) => row.subjectId), ['sha256:ab', 'RU-1']);
    assert.deepEqual((await listDecryptions(context.store.db, { limit: 10, subjectId: 'US-1' })).map((row) => row.official), ['us-clerk']);
    const page = await listDecryptions(context.store.db, { limit: 1 });
    const next = await listDecryptions(context.store.db, { limit: 1, before: page[0]!.id });
    assert.equal(next[0]!.subjectId, 'US-1', 'the cursor continues where the page ended');
  });
});
