import { ok, type Result } from '@evenhand/core';
import { logError, type CaseEntrySource, type Hash, type LogError } from '@evenhand/log';
import { readEntries, type Store } from '@evenhand/store';

/**
 * A service's own log as a case prover's source (log case-prover.ts): entries by index from
 * its store, range proofs from its in-memory tree (the exchange's sequencer, a gateway's
 * mirror). Both read exactly the indexes asked for, so a proof costs what its case holds.
 */
export function storeEntrySource(store: Store, rangeProof: (from: number, to: number, size: number) => Result<Hash[], LogError>): CaseEntrySource {
  return {
    async entries(from, to) {
      const rows = await readEntries(store.db, from, to);
      if (rows.length !== to - from || rows.some((row, i) => row.index !== from + i)) {
        return { ok: false, error: logError('TILE_MISSING', `entries ${from}..${to - 1}: the store holds ${rows.length} of them`) };
      }
      return ok(rows.map((row) => row.bytes));
    },
    rangeProof: async (from, to, size) => rangeProof(from, to, size),
  };
}
