/**
 * Time in Evenhand is a count of whole seconds since the Unix epoch (UTC), the unit that
 * C2SP cosignatures use too (tlog-cosignature "time"). The core never reads a clock:
 * every instant arrives in an entry or as an argument.
 *
 * Treaty periods are counted in days of 86,400 seconds from the triggering event, so that
 * every party computes the same due instant whatever its time zone.
 */
export type UnixSeconds = number;

export const SECONDS_PER_DAY = 86_400;

export function addDays(at: UnixSeconds, days: number): UnixSeconds {
  return at + days * SECONDS_PER_DAY;
}

export const SECONDS_PER_HOUR = 3_600;

/** Periods of requests for data run in hours of 3,600 s (issue 17), counted like days. */
export function addHours(at: UnixSeconds, hours: number): UnixSeconds {
  return at + hours * SECONDS_PER_HOUR;
}

/** Whole and fractional days between two instants (positive when `to` is later). */
export function daysBetween(from: UnixSeconds, to: UnixSeconds): number {
  return (to - from) / SECONDS_PER_DAY;
}

/** ISO 8601 text of an instant, for messages and reports. */
export function isoTime(at: UnixSeconds): string {
  return new Date(at * 1000).toISOString().replace('.000Z', 'Z');
}

/** Parses a calendar date `YYYY-MM-DD` to the instant of its midnight, UTC. */
export function dateToUnix(date: string): UnixSeconds | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return undefined;
  return wholeSeconds(ms / 1000);
}

/**
 * `seconds` as V8 holds a whole number below 2^31 in place, a small integer (Smi), when it is
 * whole. A division (`ms / 1000`, `Date.UTC(…) / 1000`) gives a boxed number even when the
 * quotient is whole, and one boxed number stored in a field of an object shape makes V8 box
 * that field in every object of the shape, 16 bytes and one more object for the collector each
 * (DEVELOPERS.md "Memory per record"): the end of retention, from `addMonths`, boxed the due
 * instant and the start of every obligation in the figure index (issue 14, memory per entry).
 */
export function wholeSeconds(seconds: number): UnixSeconds {
  return (seconds | 0) === seconds ? seconds | 0 : seconds;
}
