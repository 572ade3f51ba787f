import { createHash } from 'node:crypto';
import { makeSigner, SIGNATURE_COSIGNATURE_V1, type NoteSigner } from '../src/index.ts';

/** A deterministic test seed per label, so failures reproduce (tests only; never for real keys). */
export function seedOf(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`evenhand-test-seed:${label}`).digest());
}

export function logSigner(origin: string): NoteSigner {
  return makeSigner(origin, seedOf(`log:${origin}`));
}

export function witnessSigner(name: string): NoteSigner {
  return makeSigner(name, seedOf(`witness:${name}`), SIGNATURE_COSIGNATURE_V1);
}
