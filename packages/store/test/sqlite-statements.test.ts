import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { keepStatements } from '../src/sqlite-statements.ts';

describe('SQLite statements kept by text (issue 14: Kysely prepares each query afresh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-statements-'));
  const database = keepStatements(new SQLite(join(dir, 'kept.db')), 2);
  database.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  after(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out the statement of a text again, bound anew on each run', () => {
    const insert = database.prepare('INSERT INTO rows (id, name) VALUES (?, ?)');
    insert.run(1, 'one');
    assert.equal(database.prepare('INSERT INTO rows (id, name) VALUES (?, ?)'), insert);
    database.prepare('INSERT INTO rows (id, name) VALUES (?, ?)').run(2, 'two');
    const select = database.prepare('SELECT name FROM rows WHERE id = ?');
    assert.deepEqual([select.get(1), database.prepare('SELECT name FROM rows WHERE id = ?').get(2)], [{ name: 'one' }, { name: 'two' }]);
  });

  it('prepares another while the kept one is still iterated, so a streamed select and a query of the same text both run', () => {
    const text = 'SELECT id FROM rows ORDER BY id';
    const streaming = database.prepare(text);
    const iterator = streaming.iterate();
    assert.deepEqual(iterator.next().value, { id: 1 });
    const other = database.prepare(text);
    assert.notEqual(other, streaming, 'the busy statement is not handed out');
    assert.deepEqual(other.all(), [{ id: 1 }, { id: 2 }]);
    assert.deepEqual(iterator.next().value, { id: 2 });
    iterator.return?.();
  });

  it('never keeps a pragma, since some act when prepared, not when run; each still acts', () => {
    assert.notEqual(database.prepare('PRAGMA secure_delete = ON'), database.prepare('PRAGMA secure_delete = ON'));
    for (let round = 0; round < 2; round++) {
      database.pragma('secure_delete = OFF');
      const statement = database.prepare('PRAGMA secure_delete = ON');
      if (statement.reader) statement.all();
      else statement.run();
      assert.equal(database.pragma('secure_delete', { simple: true }), 1, `round ${round + 1}`);
    }
  });

  it('does not keep a long text, such as a multi-row insert whose text changes with its rows', () => {
    const long = `SELECT 1 AS a WHERE 1 IN (${Array.from({ length: 500 }, (_, n) => n + 1).join(', ')})`;
    assert.ok(long.length > 2_000);
    assert.notEqual(database.prepare(long), database.prepare(long));
  });

  it('keeps at most the limit, forgetting the text used least recently', () => {
    const first = database.prepare('SELECT 1 AS a');
    const second = database.prepare('SELECT 2 AS a');
    assert.equal(database.prepare('SELECT 1 AS a'), first, 'used again, so now the most recent');
    database.prepare('SELECT 3 AS a');
    assert.equal(database.prepare('SELECT 1 AS a'), first);
    assert.notEqual(database.prepare('SELECT 2 AS a'), second, 'the least recent of three went');
  });
});
