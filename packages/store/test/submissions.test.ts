import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { listPendingSubmissions, markSubmissionsIncluded, recordSubmission } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

describeOnEachEngine('a gateway marks its included submissions a round at a time (issue 14)', (context) => {
  it('marks every index given, past one statement’s share, and leaves the others and earlier marks alone', async () => {
    const db = context.store.db;
    const count = 1_203;
    for (let index = 0; index < count; index++) {
      await recordSubmission(db, { index, author: 'US', authorSeq: index + 1, bytes: new Uint8Array([index % 256]), leafHash: new Uint8Array(32), type: 'request.file', submittedAt: 1_000 });
    }
    await markSubmissionsIncluded(db, [5], 2_000);
    // Every index but the last three, and 5 again: more than two statements' worth.
    const included = Array.from({ length: count - 3 }, (_, index) => index);
    await markSubmissionsIncluded(db, included, 3_000);
    await markSubmissionsIncluded(db, [], 4_000);
    const pending = await listPendingSubmissions(db);
    assert.deepEqual(pending.map((submission) => submission.index), [count - 3, count - 2, count - 1]);
    const marked = await db.selectFrom('gateway_submissions').select(['idx', 'included_at']).where('idx', 'in', [4, 5, 1_199]).orderBy('idx').execute();
    assert.deepEqual(marked.map((row) => [Number(row.idx), Number(row.included_at)]), [[4, 3_000], [5, 2_000], [1_199, 3_000]]);
  });

  // SQLite's query plan is read here (as in row-pages.test.ts); on PostgreSQL the test is not registered.
  if (context.engine.name === 'sqlite') it('lists the pending submissions and an author’s latest through indexes, never every submission (SQLite query plan)', async () => {
    const plan = async (query: string) => (await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(context.store.db)).rows.map((row) => row.detail).join('; ');
    const pending = await plan('select * from gateway_submissions where included_at is null order by idx');
    assert.match(pending, /USING INDEX gateway_submissions_pending\b/);
    assert.doesNotMatch(pending, /TEMP B-TREE/, 'no sort of the pending rows');
    assert.match(await plan(`select * from gateway_submissions where author = 'US' order by author_seq desc limit 1`), /USING INDEX gateway_submissions_author\b/);
  });
});
