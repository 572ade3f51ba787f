import type { State } from '../request/state.ts';
import { isoTime, type UnixSeconds } from '../time.ts';

/**
 * A denunciation as the treaty views show it (issue 17): who leaves, when it was notified and
 * when it takes effect, under which articles, and whether it is still pending. Public: a
 * denunciation names only states.
 */
export interface DenunciationView {
  readonly party: string;
  /** The log index of the `treaty.denounce` entry. */
  readonly index: number;
  readonly notifiedAt: UnixSeconds;
  readonly effectiveAt: UnixSeconds;
  readonly effectiveDate: string;
  readonly article: string;
  readonly pending: 'continue';
  readonly pendingArticle: string;
  /** `pending` until the effective instant, `in-effect` from it: the party has left. */
  readonly status: 'pending' | 'in-effect';
  /** The entry from which the party's witness is out of the quorum, once the log has reached it. */
  readonly effectiveIndex?: number | undefined;
}

/**
 * The treaty's denunciations at `at` (a console's now). Without `at`, the log decides, as for a
 * public view stated at a size: in effect once an entry dated at or after the effective
 * instant has applied, so that everyone who replays to that size shows the same.
 */
export function denunciationViews(state: State, at?: UnixSeconds): DenunciationView[] {
  return (state.denunciations ?? []).map((each) => ({
    party: each.party,
    index: each.index,
    notifiedAt: each.notifiedAt,
    effectiveAt: each.effectiveAt,
    effectiveDate: isoTime(each.effectiveAt),
    article: each.article,
    pending: each.pending,
    pendingArticle: each.pendingArticle,
    status: (at === undefined ? each.effectiveIndex !== undefined : each.effectiveAt <= at) ? 'in-effect' : 'pending',
    ...(each.effectiveIndex === undefined ? {} : { effectiveIndex: each.effectiveIndex }),
  }));
}
