import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The 2021 treaty shipped with Evenhand, found from this file so any working directory works:
 * beside the package when it is installed from its tarball (scripts/pack-cli.mjs puts
 * treaties/ there), else at the repository's root (src/ or dist/ of packages/cli).
 */
export function defaultTreatyPath(): string {
  const candidates = ['../treaties/us-ru-2021.yaml', '../../../treaties/us-ru-2021.yaml'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((path) => existsSync(path)) ?? candidates[candidates.length - 1]!;
}
