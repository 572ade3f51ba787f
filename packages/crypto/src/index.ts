export { sha256, sha256Parts } from './sha256.ts';
export { ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519.ts';
export { joinBytes } from './join.ts';
