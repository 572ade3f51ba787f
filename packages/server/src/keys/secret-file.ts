import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { formatSignerKey, makeSigner, parseSignerKey, type NoteSigner, type SignatureType } from '@evenhand/log';
import { randomBytes } from 'node:crypto';

/**
 * Secret keys live in files only their owner can read (mode 0600). A file that the group
 * or others can read is refused, as ssh refuses such a private key: the key may already
 * have leaked, and the operator must decide. Errors name the file, never its content.
 */
export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export function checkSecretMode(path: string): void {
  // POSIX modes only: Windows reports 0o666 for every file and has no group/other bits.
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(`secret file ${path} has mode ${mode.toString(8).padStart(4, '0')}: group or others can read it; run \`chmod 600 ${path}\` and check that the secret has not been copied elsewhere`);
  }
}

/** Writes a new file with mode 0600 from the first byte (O_EXCL: never over an existing file). */
export function createSecretFile(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * A signed-note private key in Go's text form `PRIVATE+KEY+name+hash+base64` (the log's
 * checkpoint key, a witness's cosigning key). With `create`, a missing file is generated.
 */
export function loadSignerKeyFile(path: string, create?: { name: string; type: SignatureType }): NoteSigner {
  if (!existsSync(path)) {
    if (!create) throw new KeyFileError(`key file ${path} does not exist; create it with \`evenhand keygen\``);
    createSecretFile(path, `${formatSignerKey(makeSigner(create.name, new Uint8Array(randomBytes(32)), create.type))}\n`);
  }
  checkSecretMode(path);
  const parsed = parseSignerKey(readFileSync(path, 'utf8').trim());
  if (!parsed.ok) throw new KeyFileError(`key file ${path}: ${parsed.error.message}`);
  return parsed.value;
}

/** Shortest operator token accepted: 128 bits in base64url is 22 characters. */
const TOKEN_MIN_LENGTH = 22;

/**
 * A bearer token for the operator's own calls (on-demand clearing), in a 0600 file like a
 * key. With `create`, a missing file gets 256 random bits in base64url.
 */
export function loadTokenFile(path: string, create = false): string {
  if (!existsSync(path)) {
    if (!create) throw new KeyFileError(`token file ${path} does not exist; put at least ${TOKEN_MIN_LENGTH} random characters in it (mode 0600)`);
    createSecretFile(path, `${randomBytes(32).toString('base64url')}\n`);
  }
  checkSecretMode(path);
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < TOKEN_MIN_LENGTH || /\s/.test(token)) {
    throw new KeyFileError(`token file ${path}: expected one token of at least ${TOKEN_MIN_LENGTH} characters without spaces, found ${token.length} characters`);
  }
  return token;
}
