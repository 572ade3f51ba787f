import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The installed command, which runs the compiled JavaScript in each package's dist/ (issue 16). */
export const BUILT_COMMAND = fileURLToPath(new URL('../../cli/bin/evenhand.js', import.meta.url));

/**
 * Brings the packages' dist/ up to date with their sources (scripts/build.mjs: nothing to do
 * when it is; a full tsc run, under half a minute, when not), so that a test can run the
 * command as `npm start` does, from the built output and not through tsx.
 */
export function ensureBuilt(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (built.status !== 0) throw new Error(`the build failed (scripts/build.mjs, exit ${built.status}):\n${built.stderr}${built.stdout}`);
}
