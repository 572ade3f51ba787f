import { z } from 'zod';

/**
 * A zod enum of every value of a union type T, from a Record over T: a value the core adds to
 * T, or one it drops, does not compile until the contract lists it (the core keeps many of its
 * enums as types only, e.g. RequestStatus and DeadlineKind).
 */
export function enumOf<T extends string>(all: { readonly [K in T]: true }) {
  return z.enum(Object.keys(all) as [T, ...T[]]);
}
