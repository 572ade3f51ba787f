import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import { generateSealKeyPair } from '../sealing/keys.ts';
import { checkSecretMode, KeyFileError } from '../keys/secret-file.ts';

/** One transport key (issue 17, docs/erasure.md): an X25519 key pair case keys are wrapped to. */
export interface TransportKeyPair {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly createdAt: number;
}

interface RingFile {
  /** The local key that seals case keys at rest in the database (base64url, 32 bytes). */
  readonly local: string;
  /** Oldest first: the key in force in the log, the ones before it not yet destroyed, and one not yet published. */
  readonly transport: readonly TransportKeyPair[];
}

/**
 * The gateway's case-key secrets, in one key file of mode 0600 (issue 4): the local key and the
 * ring of transport private keys. Every change writes a new file, syncs it, renames it over the
 * old one and syncs the directory, so a crash leaves the old ring or the new one, never half
 * of one; a destroyed key is gone from the file once `destroy` returns. The file's old blocks
 * are the file system's: docs/erasure.md says why the key file belongs on an encrypted volume.
 * Without a path (tests that build an app in memory) the ring lives only in memory.
 */
export class TransportRing {
  private constructor(private readonly path: string | undefined, private ring: RingFile) {}

  static async open(path: string | undefined): Promise<TransportRing> {
    if (path === undefined || !existsSync(path)) {
      const ring = new TransportRing(path, { local: randomBytes(32).toString('base64url'), transport: [] });
      ring.save();
      return ring;
    }
    checkSecretMode(path);
    let parsed: RingFile;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as RingFile;
    } catch {
      throw new KeyFileError(`key file ${path}: expected the gateway's case-key ring as JSON`);
    }
    if (typeof parsed.local !== 'string' || Buffer.from(parsed.local, 'base64url').length !== 32 || !Array.isArray(parsed.transport) || !parsed.transport.every((key) => typeof key.kid === 'string' && typeof key.privateJwk?.d === 'string')) {
      throw new KeyFileError(`key file ${path}: expected { local: 32 bytes base64url, transport: [{ kid, privateJwk, createdAt }] }`);
    }
    return new TransportRing(path, parsed);
  }

  get localKey(): Uint8Array {
    return new Uint8Array(Buffer.from(this.ring.local, 'base64url'));
  }

  /** Every transport key held, oldest first. */
  get keys(): readonly TransportKeyPair[] {
    return this.ring.transport;
  }

  privateFor(kid: string): JWK | undefined {
    return this.ring.transport.find((key) => key.kid === kid)?.privateJwk;
  }

  /** Makes a new transport key and keeps it (on disk before anyone can wrap to it). */
  async generate(party: string, at: number): Promise<TransportKeyPair> {
    const pair = await generateSealKeyPair();
    const key: TransportKeyPair = { kid: `${party}-t${at}-${randomBytes(4).toString('hex')}`, privateJwk: pair.privateJwk, createdAt: at };
    this.ring = { ...this.ring, transport: [...this.ring.transport, key] };
    this.save();
    return key;
  }

  /** Destroys the keys named: the new file, without them, replaces the old one before this returns. */
  destroy(kids: readonly string[]): void {
    if (kids.length === 0) return;
    this.ring = { ...this.ring, transport: this.ring.transport.filter((key) => !kids.includes(key.kid)) };
    this.save();
  }

  private save(): void {
    if (this.path === undefined) return;
    const temporary = `${this.path}.new`;
    rmSync(temporary, { force: true });
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(this.ring)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    // The rename itself is durable only once the directory is synced.
    const directory = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }
}
