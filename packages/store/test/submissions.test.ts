import { it } from 'node:test';
import assert from 'node:assert/strict';
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
});
