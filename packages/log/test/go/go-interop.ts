import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Debian's golang-golang-x-mod-dev puts the x/mod source (reference/stack.md §10). */
export const GOCODE = '/usr/share/gocode';
const program = join(dirname(fileURLToPath(import.meta.url)), 'interop');

/** Why the Go interop program cannot be built here, or undefined when it can. */
export function goMissing(): string | undefined {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return 'Go is not installed (apt-get install golang-go)';
  if (!existsSync(join(GOCODE, 'src/golang.org/x/mod/sumdb/tlog/tlog.go'))) return `golang.org/x/mod is not under ${GOCODE} (apt-get install golang-golang-x-mod-dev)`;
  return undefined;
}

/** Builds the interop program in GOPATH mode into a fresh temporary directory. */
export function buildInterop(): { binary: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-go-'));
  const binary = join(dir, 'interop');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: program,
    env: { ...process.env, GO111MODULE: 'off', GOPATH: `${join(dir, '.gopath')}:${GOCODE}`, GOFLAGS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  return { binary, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runInterop<T>(binary: string, args: readonly string[], input: unknown): T {
  const out = execFileSync(binary, args, { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return JSON.parse(out) as T;
}
