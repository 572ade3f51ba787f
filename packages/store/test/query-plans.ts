import { CompiledQuery, createQueryId, type Kysely, type KyselyPlugin, type RootOperationNode } from 'kysely';
import type { Database } from '../src/index.ts';

/**
 * SQLite's query plan of every statement `run` makes through the `db` it is given, in order,
 * each as its SQL and its plan's lines joined by "; ". The statements are recorded by a Kysely
 * plugin and explained afterwards with their own parameters, so a test reads the plans of what
 * the store's functions really send, not of SQL written again beside them.
 */
export async function sqlitePlansOf(db: Kysely<Database>, run: (db: Kysely<Database>) => Promise<unknown>): Promise<{ sql: string; plan: string }[]> {
  const nodes: RootOperationNode[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: ({ node }) => (nodes.push(node), node),
    transformResult: async ({ result }) => result,
  };
  await run(db.withPlugin(recorder));
  const plans: { sql: string; plan: string }[] = [];
  for (const node of nodes) {
    const query = db.getExecutor().compileQuery(node, createQueryId());
    if (!/^\s*(select|insert|update|delete)\b/i.test(query.sql)) continue;
    const rows = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]))).rows;
    plans.push({ sql: query.sql, plan: rows.map((row) => row.detail).join('; ') });
  }
  return plans;
}
