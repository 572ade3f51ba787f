import { bytesEqual, parseVerifierKey, SIGNATURE_ED25519, type Entry } from '@evenhand/log';

/**
 * Author keys as the exchange and every verifier read them: the parties' entry keys come
 * from the treaty document in the log's first entry (a `treaty.propose`), and author
 * "exchange" signs with the log key of the policy. The gateway also checks that the treaty
 * gives its own state the key it holds: otherwise the log could speak for it.
 */
export type LearnedKeys = { ok: true; keys: Map<string, Uint8Array> } | { ok: false; code: 'INCONSISTENT' | 'KEY_SUBSTITUTED'; message: string };

export function learnKeys(first: Entry, logKey: Uint8Array, own: { party: string; key: Uint8Array }): LearnedKeys {
  if (first.type !== 'treaty.propose') return { ok: false, code: 'INCONSISTENT', message: `entry 0 is ${first.type}; a log must open with treaty.propose, which names the parties' keys` };
  const treaty = first.body.treaty as { parties?: unknown } | undefined;
  const keys = new Map<string, Uint8Array>([['exchange', logKey]]);
  for (const party of Array.isArray(treaty?.parties) ? treaty.parties : []) {
    const { id, key } = (party ?? {}) as { id?: unknown; key?: unknown };
    if (typeof id !== 'string' || typeof key !== 'string') continue;
    const parsed = parseVerifierKey(key);
    if (!parsed.ok || parsed.value.type !== SIGNATURE_ED25519) return { ok: false, code: 'INCONSISTENT', message: `entry 0: the treaty's key for ${id} is not an Ed25519 verifier key` };
    keys.set(id, parsed.value.publicKey);
  }
  const listed = keys.get(own.party);
  if (listed && !bytesEqual(listed, own.key)) {
    return { ok: false, code: 'KEY_SUBSTITUTED', message: `the treaty in the log gives ${own.party} a key other than the one this gateway holds: entries "by ${own.party}" would not be ours. Stop filing, and compare the treaty text with the one ${own.party} proposed or ratified` };
  }
  return { ok: true, keys };
}
