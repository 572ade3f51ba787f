import { fail } from '../request/apply-error.ts';
import type { State } from '../request/state.ts';
import { isoTime, wholeSeconds, type UnixSeconds } from '../time.ts';
import type { Treaty } from './schema.ts';

/**
 * Leaving the treaty (issue 17): what a denunciation is once it is in the log, when it takes
 * effect, and who has left at a given instant. Pure: every instant is passed in, so every party
 * computes the same effective date from the same entry (DESIGN.md "deadlines that every party
 * computes identically").
 */
export interface Denunciation {
  readonly party: string;
  /** The log index of the `treaty.denounce` entry, and its time: the notification. */
  readonly index: number;
  readonly notifiedAt: UnixSeconds;
  /** `notifiedAt` plus the treaty's notice period, fixed at notification (schema.ts `denunciation`). */
  readonly effectiveAt: UnixSeconds;
  readonly article: string;
  /** The transitional rule for what is pending at `effectiveAt`, and its article. */
  readonly pending: 'continue';
  readonly pendingArticle: string;
  /**
   * The index of the first entry applied at or after `effectiveAt`: from the checkpoint that
   * covers it, the party's witness is no longer in the quorum (log treaty-policy.ts). A fact of
   * the log, so every verifier replaying it agrees on the checkpoint where the quorum changes.
   */
  readonly effectiveIndex?: number | undefined;
}

/**
 * `at` plus whole calendar months, in UTC, at the same time of day. A day the last month lacks
 * (31 August + 6 months) becomes that month's last day (28 or 29 February), the rule of
 * Regulation 1182/71 art. 3(2)(c) for periods in months: never a day of the month after.
 */
export function addMonths(at: UnixSeconds, months: number): UnixSeconds {
  const date = new Date(at * 1000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return wholeSeconds(Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()) / 1000);
}

/** The instant a denunciation notified at `notifiedAt` takes effect under `treaty`, or undefined if the treaty provides none. */
export function denunciationEffectiveAt(treaty: Treaty, notifiedAt: UnixSeconds): UnixSeconds | undefined {
  return treaty.denunciation ? addMonths(notifiedAt, treaty.denunciation.noticeMonths) : undefined;
}

export function denunciationOf(state: State, party: string): Denunciation | undefined {
  return state.denunciations?.find((each) => each.party === party);
}

/** The denunciation by which `party` has left the treaty at `time`, if it has. */
export function departureOf(state: State, party: string, time: UnixSeconds): Denunciation | undefined {
  const denunciation = denunciationOf(state, party);
  return denunciation !== undefined && denunciation.effectiveAt <= time ? denunciation : undefined;
}

/** The parties that have left the treaty at `time`. */
export function partiesLeft(state: State, time: UnixSeconds): string[] {
  return (state.denunciations ?? []).filter((each) => each.effectiveAt <= time).map((each) => each.party);
}

/** The parties whose denunciation has taken effect in the log: an entry dated at or after it has applied. */
export function partiesLeftInLog(state: State): string[] {
  return (state.denunciations ?? []).filter((each) => each.effectiveIndex !== undefined).map((each) => each.party);
}

/**
 * Records, after the entry at `index` dated `time` has applied, every denunciation that took
 * effect with it (the first entry at or after its effective instant). The state is returned as
 * is when there is none, which is almost always.
 */
export function noteDenunciationsInEffect(state: State, time: UnixSeconds, index: number): State {
  const denunciations = state.denunciations;
  if (!denunciations?.some((each) => each.effectiveIndex === undefined && each.effectiveAt <= time)) return state;
  return { ...state, denunciations: denunciations.map((each) => (each.effectiveIndex === undefined && each.effectiveAt <= time ? { ...each, effectiveIndex: index } : each)) };
}

/**
 * The refusal of something new that involves a party that has left at `time`, or undefined.
 * `what` completes "… so <what>", e.g. "it files no new request"; `field` is the entry's field
 * that names the party.
 */
export function unlessStillParty(state: State, treaty: Treaty, party: string, time: UnixSeconds, field: string, what: string) {
  const left = departureOf(state, party, time);
  if (!left) return undefined;
  return fail(
    'TREATY_DENOUNCED',
    `${field}: ${party} denounced treaty ${treaty.id} on ${isoTime(left.notifiedAt)}, and the denunciation took effect on ${isoTime(left.effectiveAt)} (${left.article}), so ${what}; only what was pending then continues under the treaty (${left.pendingArticle})`,
    field,
  );
}

/**
 * `noteDenunciationsInEffect` for a reader that holds only some of the log's entries, in order
 * (a case proof): each denunciation takes effect at the first of them, from its own entry on,
 * dated at or after its effective instant. A prover includes the entry where the full replay
 * saw it take effect (log case-index.ts), so both find the same one.
 */
export function noteDenunciationsIn(state: State, entries: readonly { readonly index: number; readonly time: UnixSeconds }[]): State {
  const denunciations = state.denunciations;
  if (!denunciations?.some((each) => each.effectiveIndex === undefined)) return state;
  return {
    ...state,
    denunciations: denunciations.map((each) => {
      if (each.effectiveIndex !== undefined) return each;
      const first = entries.find((entry) => entry.index >= each.index && entry.time >= each.effectiveAt);
      return first ? { ...each, effectiveIndex: first.index } : each;
    }),
  };
}
