/**
 * FNV-1a over a text's UTF-16 code units (Fowler, Noll, Vo; 32-bit offset basis 0x811c9dc5,
 * prime 0x01000193): deterministic on every platform, no clock or seed. A signed 32-bit
 * integer; each caller cuts or mixes it as it needs (persistent-map.ts `hashKey`,
 * bag-node.ts `levelOf`, snapshot-check.ts `requestRecordShape`).
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}
