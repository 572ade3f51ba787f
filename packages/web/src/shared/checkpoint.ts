/**
 * Reads a C2SP signed note checkpoint (origin, size, root, then "— name base64" lines) for
 * display. Nothing is verified here: the page shows what the exchange serves, and the
 * `evenhand verify` command it prints is how a reader checks it. A cosignature/v1 signature
 * is a 4-byte key hash, an 8-byte big-endian timestamp and 64 bytes of Ed25519
 * (c2sp.org/tlog-cosignature), so its length tells it from the log's own 68-byte signature.
 */
export interface CheckpointView {
  readonly origin: string;
  readonly size: number;
  readonly root: string;
  readonly signers: readonly { readonly name: string; readonly cosignedAt: number | null }[];
}

export function parseCheckpoint(note: string): CheckpointView | null {
  const [body, signatures = ''] = note.split('\n\n');
  const [origin, size, root] = (body ?? '').split('\n');
  if (!origin || !size || !root || !/^\d+$/.test(size)) return null;
  const signers = signatures
    .split('\n')
    .filter((line) => line.startsWith('\u2014 '))
    .map((line) => {
      const [, name = '', signature = ''] = line.split(' ');
      return { name, cosignedAt: cosignatureTime(signature) };
    });
  return { origin, size: Number(size), root, signers };
}

function cosignatureTime(base64: string): number | null {
  let bytes: string;
  try {
    bytes = atob(base64);
  } catch {
    return null;
  }
  if (bytes.length !== 4 + 8 + 64) return null;
  let seconds = 0;
  for (let i = 4; i < 12; i++) seconds = seconds * 256 + bytes.charCodeAt(i);
  return seconds;
}
