import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * A pg pool for Kysely whose connections prepare the statements they run again (PostgreSQL
 * "Extended Query": a named Parse once per connection, then Bind/Execute only).
 *
 * Why: Kysely sends every query unnamed, so PostgreSQL parses and plans it each time. An
 * append of 200 entries is one INSERT with 1,400 parameters, and its planning was about
 * 60 % of its cost: 12.9 ms unnamed against 5.3 ms prepared, median of 40 on an idle
 * machine (issue 14, appends on PostgreSQL). The exchange and the mirrors run a few dozen
 * statement shapes, each over and over.
 *
 * A statement is prepared the second time its text is seen on a connection, and at most
 * `PREPARED_PER_CONNECTION` are (batch inserts have one text per batch size, up to 256); past
 * that, the rest run unnamed as before. The name is a digest of the text, so one name never
 * stands for two texts. Statements without parameters (transaction control, migrations) are
 * never prepared: they cost nothing to plan, and a migration's DDL must not meet a plan
 * cached before it.
 */
const PREPARED_PER_CONNECTION = 512;

interface Prepared {
  /** The texts run once on this connection and not prepared yet. */
  readonly seen: Set<string>;
  /** Names of the texts prepared on this connection. */
  readonly names: Map<string, string>;
}

function nameOf(text: string): string {
  return `evenhand_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/** The name to run `text` under on this connection, or undefined to run it unnamed. */
function statementName(prepared: Prepared, text: string): string | undefined {
  const known = prepared.names.get(text);
  if (known !== undefined) return known;
  if (prepared.names.size >= PREPARED_PER_CONNECTION) return undefined;
  if (!prepared.seen.has(text)) {
    // Bounded with the names: a text seen once and never again is forgotten past the limit.
    if (prepared.seen.size >= PREPARED_PER_CONNECTION) prepared.seen.clear();
    prepared.seen.add(text);
    return undefined;
  }
  prepared.seen.delete(text);
  const name = nameOf(text);
  prepared.names.set(text, name);
  return name;
}

export function preparingPool(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client, so that Kysely keeps one connection object per client.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const prepared: Prepared = { seen: new Set(), names: new Map() };
    const query = (sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
      if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as pg.Submittable);
      const values = parameters ? [...parameters] : [];
      const name = values.length > 0 ? statementName(prepared, sqlOrCursor) : undefined;
      return client.query(name === undefined ? { text: sqlOrCursor, values } : { name, text: sqlOrCursor, values });
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        // A destroyed client's statements die with its session.
        if (destroy) wrappers.delete(client);
        client.release(destroy);
      },
    };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) wrappers.set(client, (wrapper = wrap(client)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}
