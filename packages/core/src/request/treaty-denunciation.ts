import { ok, type Result } from '../result.ts';
import { isoTime, type UnixSeconds } from '../time.ts';
import { denunciationEffectiveAt, denunciationOf, type Denunciation } from '../treaty/denunciation.ts';
import type { Treaty } from '../treaty/schema.ts';
import { fail, type ApplyError } from './apply-error.ts';
import type { EntryBody } from './entries.ts';
import type { State } from './state.ts';

/**
 * `treaty.denounce` (issue 17, "leaving the treaty"): a party of the treaty in force notifies
 * that it leaves. The entry's time is the notification; the denunciation takes effect after the
 * notice period the treaty states (its `denunciation` section, e.g. six months under ECE art.
 * 31). Until then the party is a party like any other. From then on nothing new is filed by or
 * to it, nor traded with it, and what was pending follows the treaty's transitional rule
 * (treaty/denunciation.ts; filing.ts, trade/lifecycle/propose.ts and clearing-pool.ts apply it).
 * It stays listed in the treaty, so that its key still verifies its entries on pending cases.
 */
export function applyDenounce(state: State, treaty: Treaty, author: string, time: UnixSeconds, body: EntryBody<'treaty.denounce'>): Result<State, ApplyError> {
  if (body.treaty !== treaty.id) return fail('TREATY_MISMATCH', `body.treaty: the treaty in force is "${treaty.id}", found "${body.treaty}"`, 'body.treaty');
  const clause = treaty.denunciation;
  const effectiveAt = denunciationEffectiveAt(treaty, time);
  if (!clause || effectiveAt === undefined) {
    return fail(
      'DENUNCIATION_NOT_PROVIDED',
      `type: treaty ${treaty.id} v${treaty.version} states no denunciation clause (its "denunciation" section), and a treaty that provides for none cannot be denounced (VCLT art. 56(1)); the parties may add one by amendment`,
      'type',
    );
  }
  const earlier = denunciationOf(state, author);
  if (earlier) {
    return fail('DENUNCIATION_EXISTS', `author: ${author} denounced treaty ${treaty.id} already, at entry ${earlier.index} (${isoTime(earlier.notifiedAt)}), taking effect on ${isoTime(earlier.effectiveAt)} (${earlier.article})`, 'author');
  }
  const denunciation: Denunciation = { party: author, index: state.size, notifiedAt: time, effectiveAt, article: clause.article, pending: clause.pending, pendingArticle: clause.pendingArticle };
  return ok({ ...state, denunciations: [...(state.denunciations ?? []), denunciation], size: state.size + 1 });
}

/**
 * An amendment may not drop or rewrite a party that has denounced the treaty (issue 17): its
 * requests and trades pending when it leaves are decided under the treaty, by its key and
 * against its law profile, so the proposal must list it, with its entry, key and witness and its
 * law profile, exactly as the treaty in force does. Without this the others, who need not
 * ratify with it once it has left, could substitute its key or its law.
 */
export function unlessKeepsDenouncing(state: State, current: Treaty | undefined, proposed: Treaty): Result<true, ApplyError> {
  if (!current) return ok(true);
  for (const { party } of state.denunciations ?? []) {
    const before = current.parties.find((each) => each.id === party);
    const after = proposed.parties.find((each) => each.id === party);
    if (!after) return fail('DENOUNCING_PARTY_CHANGED', `body.treaty.parties: ${party} denounced the treaty, and its pending cases continue under it, so an amendment keeps it listed`, 'body.treaty.parties');
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      return fail('DENOUNCING_PARTY_CHANGED', `body.treaty.parties: ${party} denounced the treaty; an amendment keeps its entry (name, authority, key, witness) as the treaty in force states it`, 'body.treaty.parties');
    }
    if (JSON.stringify(proposed.lawProfiles[party]) !== JSON.stringify(current.lawProfiles[party])) {
      return fail('DENOUNCING_PARTY_CHANGED', `body.treaty.lawProfiles.${party}: ${party} denounced the treaty, and its pending cases are decided against its law profile, so an amendment keeps it as the treaty in force states it`, `body.treaty.lawProfiles.${party}`);
    }
  }
  return ok(true);
}
