import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_ED25519, bytesEqual, type NoteVerifier } from '@evenhand/log';
import { KeyFileError } from '../keys/secret-file.ts';

/**
 * Every entry key a state has ever held (issue 12: "a state's gateway keeps every entry key it
 * has ever held: its key file plus the retired keys"): one signed-note verifier key per line,
 * public keys only. The gateway adds its current key whenever it starts, so a key changed by
 * amendment stays in the history when the key file is replaced. A gateway rebuilt on an empty
 * database reads the same file: every entry authored as its state, from the log's first, must
 * be signed by one of these keys.
 */
export function loadKeyHistory(path: string, current: NoteVerifier): NoteVerifier[] {
  const keys: NoteVerifier[] = [];
  if (existsSync(path)) {
    readFileSync(path, 'utf8').split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const parsed = parseVerifierKey(line);
      if (!parsed.ok || parsed.value.type !== SIGNATURE_ED25519) throw new KeyFileError(`key history ${path}, line ${index + 1}: expected an Ed25519 signed-note verifier key (name+hash+base64)`);
      if (parsed.value.name !== current.name) throw new KeyFileError(`key history ${path}, line ${index + 1}: the key is named ${parsed.value.name}, not ${current.name}`);
      keys.push(parsed.value);
    });
  }
  if (!keys.some((key) => bytesEqual(key.publicKey, current.publicKey))) {
    keys.push(current);
    const text = `# ${current.name}'s entry keys, oldest first: the gateway adds its current key when it starts.\n${keys.map((key) => formatVerifierKey(key)).join('\n')}\n`;
    // Written whole and synced, then renamed: a crash never leaves a history without a key it held.
    const file = openSync(`${path}.tmp`, 'w');
    try {
      writeSync(file, text);
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    renameSync(`${path}.tmp`, path);
  }
  return keys;
}
