import { ed25519Sign } from '@evenhand/crypto';
import { concatBytes } from './encoding.ts';
import { cosignatureMessage, SIGNATURE_COSIGNATURE_V1, signatureLine, type NoteSigner } from './note.ts';

/**
 * C2SP tlog-cosignature `cosignature/v1`: the signature payload is
 * keyID[4] ‖ timestamp (u64 big-endian) ‖ Ed25519(signed message), where the message is
 * "cosignature/v1\ntime <T>\n" followed by the checkpoint body.
 */

function u64(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`cosignature timestamp: expected a non-negative safe integer, found ${value}`);
  const out = new Uint8Array(8);
  let rest = value;
  for (let i = 7; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** A cosignature line over a checkpoint body (the note text without signatures). */
export function cosign(checkpointText: string, cosigner: NoteSigner, timestamp: number): string {
  if (cosigner.type !== SIGNATURE_COSIGNATURE_V1) throw new Error(`cosign: ${cosigner.name} is not a cosignature (0x04) key`);
  const signature = ed25519Sign(cosigner.seed, cosignatureMessage(checkpointText, timestamp));
  return signatureLine(cosigner.name, cosigner.keyId, concatBytes(u64(timestamp), signature));
}

/** Appends signature lines to a signed note, skipping lines already present (tlog-witness: clients merge responses). */
export function addSignatureLines(note: string, lines: readonly string[]): string {
  let out = note;
  for (const line of lines) {
    if (!out.split('\n').includes(line.replace(/\n$/, ''))) out += line.endsWith('\n') ? line : `${line}\n`;
  }
  return out;
}
