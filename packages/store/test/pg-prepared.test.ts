import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { appendEntries, readEntries } from '../src/index.ts';
import { postgresEngine } from './dialects.ts';

/**
 * PostgreSQL connections prepare the statements they run again (pg-prepared.ts, issue 14):
 * PostgreSQL's own list of the session's prepared statements shows which were, and every
 * answer is the same as unprepared.
 */
const engine = postgresEngine();

describe('prepared statements on PostgreSQL', { skip: engine.skip }, () => {
  after(() => engine.cleanup());

  it('prepares a statement with parameters the second time one connection runs it, and no statement without', async () => {
    const store = await engine.open();
    try {
      await store.db.connection().execute(async (db) => {
        const preparedNow = async () => (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((row) => row.statement);
        const entry = (seq: number) => ({ bytes: new Uint8Array([seq, 1, 2]), leafHash: new Uint8Array(32).fill(seq), author: 'US', authorSeq: seq, type: 'request.file', time: 1_700_000_000 + seq });
        const appended = await appendEntries(db, [entry(1), entry(2)]);
        assert.deepEqual(appended, { ok: true, firstIndex: 0, count: 2 });
        assert.equal((await preparedNow()).filter((text) => /insert into "log_entries"/i.test(text)).length, 0, 'the first run of a text is not prepared');
        // The same two-row insert again, then a read of a range twice.
        assert.deepEqual(await appendEntries(db, [entry(3), entry(4)]), { ok: true, firstIndex: 2, count: 2 });
        const first = await readEntries(db, 0, 4);
        const again = await readEntries(db, 0, 4);
        assert.deepEqual(again, first);
        assert.deepEqual(first.map((row) => [row.index, row.authorSeq, [...row.bytes]]), [1, 2, 3, 4].map((seq, index) => [index, seq, [seq, 1, 2]]));
        const prepared = await preparedNow();
        assert.equal(prepared.filter((text) => /insert into "log_entries"/i.test(text)).length, 1, 'the insert of two rows, run twice');
        assert.equal(prepared.filter((text) => /from "log_entries"/i.test(text)).length, 1, 'the read, run twice');
        // BEGIN and COMMIT ran four times, without parameters: never prepared.
        assert.ok(prepared.every((text) => !/^(begin|commit)/i.test(text.trim())), prepared.join(' | '));
        // A prepared insert refused by a constraint is refused as before (author seq taken).
        const taken = await appendEntries(db, [entry(1), entry(5)]);
        assert.equal(taken.ok, false);
      });
    } finally {
      await store.close();
    }
  });
});
