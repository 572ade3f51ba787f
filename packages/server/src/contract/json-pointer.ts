/**
 * JSON pointers (RFC 6901) to and from a path of members: `~` is written `~0` and `/` is
 * written `~1` (§3), and read back in the other order (§4), so that `~01` stays `~1`.
 */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The members a pointer names, unescaped; empty members (a doubled or trailing `/`) are dropped. */
export function fromPointer(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .filter((segment) => segment !== '')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}
