import { InvalidArgumentError } from 'commander';

/**
 * Parsers of option values. Each refuses a bad value with commander's InvalidArgumentError,
 * which commander prints as one line naming the option, with no stack trace, and which the
 * command then answers with EX_USAGE (main.ts).
 */

/** A whole number from `min` to `max`. */
export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER, unit = '') {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`${name} must be a whole number${unit} ${range}, found "${value}"`);
    }
    return parsed;
  };
}

/** Any number from `min` to `max`, fractions included. */
export function numberIn(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, found "${value}"`);
    }
    return parsed;
  };
}

/** A TCP port. */
export function port(name: string) {
  return wholeNumber(name, 1, 65_535);
}

/** An ISO 8601 time, as whole Unix seconds. */
export function isoTime(name: string) {
  return (value: string): number => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`${name} must be an ISO 8601 time such as 2021-06-16T12:00:00Z, found "${value}"`);
    return Math.floor(ms / 1000);
  };
}

/** One of a fixed list of words. */
export function oneOf<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}, found "${value}"`);
    return value as T;
  };
}
