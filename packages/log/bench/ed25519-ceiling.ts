import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '@evenhand/crypto';

/**
 * The raw Ed25519 speed of this machine through @evenhand/crypto (libsodium), printed beside
 * the entry benchmarks as their ceiling: an entry cannot be signed or verified faster than
 * its signature alone. reference/transparency-log.md measured 14–15.5k verifies/s with
 * node:crypto; OpenSSL 3.0 does about 9,600/s on the CI machine, libsodium about 19,000/s.
 */
export function ed25519Ceiling(messageBytes: number, seconds = 1): { signPerSecond: number; verifyPerSecond: number } {
  const seed = new Uint8Array(32).fill(7);
  const publicKey = ed25519PublicKey(seed);
  const message = new Uint8Array(messageBytes).fill(42);
  const rate = (body: () => void) => {
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      body();
      count += 1;
    }
    return count / ((performance.now() - start) / 1000);
  };
  const signature = ed25519Sign(seed, message);
  return { signPerSecond: rate(() => ed25519Sign(seed, message)), verifyPerSecond: rate(() => ed25519Verify(publicKey, message, signature)) };
}
