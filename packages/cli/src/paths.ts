import { fileURLToPath } from 'node:url';

/** The 2021 treaty shipped with the repository, found from this file so any working directory works. */
export function defaultTreatyPath(): string {
  return fileURLToPath(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url));
}
