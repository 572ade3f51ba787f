/**
 * Typed results for expected outcomes (a refused transition, a bad document).
 * Exceptions stay for bugs and infrastructure faults (DEVELOPERS.md "Errors").
 */
export type Result<T, E extends { code: string }> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E extends { code: string }>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Marks a switch as exhaustive: the compiler rejects a missing case. */
export function assertNever(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
