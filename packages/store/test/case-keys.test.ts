import { it } from 'node:test';
import assert from 'node:assert/strict';
import { findCaseKey, putCaseKeys, RESERVED_WRAP, reserveCaseKey } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

describeOnEachEngine('case keys stored a batch at a time (issue 14, a gateway catching up)', (context) => {
  it('takes every key of the batch: new rows, and reservations replaced, while a filed row stays as it was', async () => {
    const db = context.store.db;
    await reserveCaseKey(db, 'US-1', 'reserved-sealed-1');
    await putCaseKeys(db, [{ request: 'RU-9', sealedKey: 'first-sealed', wrapKid: 'US-t1', filedIndex: 4 }]);
    await putCaseKeys(db, [
      { request: 'US-1', sealedKey: 'filed-sealed-1', wrapKid: 'US-t1', filedIndex: 7 },
      { request: 'US-2', sealedKey: 'filed-sealed-2', wrapKid: 'US-t1', filedIndex: 8 },
      // Mirrored again after a restart: the first row is kept.
      { request: 'RU-9', sealedKey: 'second-sealed', wrapKid: 'US-t2', filedIndex: 40 },
    ]);
    const rows = await Promise.all(['US-1', 'US-2', 'RU-9'].map((request) => findCaseKey(db, request)));
    assert.deepEqual(rows.map((row) => row && [row.sealedKey, row.wrapKid, row.filedIndex]), [
      ['filed-sealed-1', 'US-t1', 7],
      ['filed-sealed-2', 'US-t1', 8],
      ['first-sealed', 'US-t1', 4],
    ]);
    assert.notEqual(rows[0]!.wrapKid, RESERVED_WRAP);
  });

  it('stores nothing of a batch when one of its rows cannot be written', async () => {
    const db = context.store.db;
    // A row without its wrap's key id breaks the column's NOT NULL: the batch is one transaction.
    await assert.rejects(putCaseKeys(db, [
      { request: 'US-3', sealedKey: 'sealed-3', wrapKid: 'US-t1', filedIndex: 9 },
      { request: 'US-4', sealedKey: 'sealed-4', wrapKid: null as unknown as string, filedIndex: 10 },
    ]));
    assert.equal(await findCaseKey(db, 'US-3'), undefined, 'the first row went with the second');
  });
});
