import { createHmac } from 'node:crypto';
import { toBase64 } from '@evenhand/log';
import type { StoredSnapshot } from '@evenhand/store';

/** The HMAC key of a service's snapshots, derived from key material only it holds (SnapshotOptions `secret`). */
export function snapshotKey(secret: Uint8Array): Buffer {
  return createHmac('sha256', 'evenhand-snapshot-key/v1').update(secret).digest();
}

/**
 * The digest that binds a stored snapshot to the service that wrote it: an HMAC under its
 * `snapshotKey` over the service, the size, the root, the stored (compressed) data, the tree
 * and, for a delta, the digest of the snapshot it follows. It is of the compressed bytes, so a
 * start checks it before it decompresses anything: an edited row can neither be parsed nor
 * made to expand without bound. (Snapshots written as one JSON text were digested over that
 * text; none of them passes this check, and the start replays the log once.)
 */
export function snapshotDigest(key: Uint8Array, service: string, row: { readonly size: number; readonly root: Uint8Array; readonly data: Uint8Array; readonly tree: Uint8Array; readonly base?: StoredSnapshot['base'] }): Buffer {
  const mac = createHmac('sha256', key).update(`evenhand-snapshot/v2\n${service}\n${row.size}\n${toBase64(row.root)}\n${row.data.length}\n`).update(row.data);
  mac.update(`\nevenhand-snapshot-tree/v1\n${row.tree.length}\n`).update(row.tree);
  // A delta is bound to the one snapshot it follows: no other base can be put under it.
  if (row.base) mac.update(`\nevenhand-snapshot-base/v1\n${row.base.size}\n${row.base.digest.length}\n`).update(row.base.digest);
  return mac.digest();
}
