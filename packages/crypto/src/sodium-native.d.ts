/**
 * The part of sodium-native's API that @evenhand/crypto uses (the package ships no types).
 * Signatures follow libsodium's crypto_sign_* functions (https://doc.libsodium.org).
 */
declare module 'sodium-native' {
  interface Sodium {
    crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
    crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  }
  const sodium: Sodium;
  export default sodium;
}
