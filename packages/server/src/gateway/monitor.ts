import { deadlinesPage, groupsPage, PAGE_LIMIT, incidentsPage, parseCursor, requestsPage, statisticsView, tradesPage, type State } from '@evenhand/core';
import { bytesEqual, openReceipt, type NoteVerifier } from '@evenhand/log';
import { listPendingSubmissions, markSubmissionsIncluded, type Store } from '@evenhand/store';
import type { Alarms } from './alarms.ts';
import type { ExchangeClient } from './exchange-client.ts';
import type { LogMirror } from './mirror.ts';
import { sameView } from '../contract/same-view.ts';

/**
 * The checks a gateway runs after each sync of its mirror (issue 4: "it raises a visible
 * alarm when the exchange's published state differs from its own replay; an entry it
 * submitted is not included in time").
 */

/**
 * Every accepted submission must appear, byte for byte, at its index under a verified
 * checkpoint: by the include-by time of the exchange's signed receipt, or within
 * `timeoutSeconds` of the submission when there is none. An exchange that acknowledges and
 * then drops or withholds an entry is caught here; the receipt with the verified checkpoint
 * that lacks the entry is kept as the evidence anyone can check (log receipt.ts).
 */
export async function checkInclusion(store: Store, mirror: LogMirror, alarms: Alarms, now: number, timeoutSeconds: number, logKey: NoteVerifier): Promise<void> {
  const verifiedSize = mirror.verified?.checkpoint.size ?? 0;
  const late: string[] = [];
  const replaced: string[] = [];
  const evidence: Record<string, string> = {};
  const included: number[] = [];
  for (const submission of await listPendingSubmissions(store.db)) {
    if (submission.index < verifiedSize) {
      if (bytesEqual(mirror.leafHashAt(submission.index), submission.leafHash)) included.push(submission.index);
      else replaced.push(`${submission.type} at index ${submission.index}`);
      continue;
    }
    // Only a submission still outside the verified tree needs its receipt's include-by time:
    // opened for each one, the receipt cost a signature check more per filing (issue 14).
    const receipt = submission.receipt ? openReceipt(submission.receipt, logKey) : undefined;
    const due = receipt?.ok ? receipt.value.includeBy : submission.submittedAt + timeoutSeconds;
    if (now > due) {
      late.push(`${submission.type} at index ${submission.index} (due by ${due}, ${now - due} s ago)`);
      if (submission.receipt) evidence[`receipt-${submission.index}`] = submission.receipt;
    }
  }
  await markSubmissionsIncluded(store.db, included, now);
  if (mirror.verified) evidence.checkpoint = mirror.verified.note;
  if (replaced.length > 0) {
    alarms.raise('NOT_INCLUDED', `the verified log holds other entries where the exchange accepted ours: ${replaced.join(', ')}. The exchange dropped or replaced them: keep its receipts and report it to the other parties.`, evidence);
  } else if (late.length > 0) {
    alarms.raise('NOT_INCLUDED', `no verified checkpoint covers ${late.join(', ')}. Check /api/log-health for quorum or reachability alarms; if the log grows without them, the exchange is withholding them, and its receipts with a later checkpoint prove it.`, evidence);
  } else {
    alarms.clear('NOT_INCLUDED');
  }
}

/**
 * The exchange's public views "anyone can recompute" (DESIGN.md), checked at the size each
 * states (issue 12): asked at this mirror's size, each must state that size, and equal what
 * this gateway computes from its own replay at that size and at the instant the view states.
 * Lists are compared a page per round, the page moving on each time, so a round costs a page
 * whatever the log's length. A view that differs, or that answers for another size, is a
 * VIEW_MISMATCH with the view as evidence; one withheld round after round is VIEW_UNSERVED.
 */
export class ViewChecker {
  private requestsCursor = '';
  private tradesCursor = '';
  private incidentsCursor = '';
  private groupsCursor = '';
  private deadlinesCursor = '';
  /** Rounds in a row in which each view was not served. */
  private readonly unserved = new Map<string, number>();
  /** The mirror size and the instant of the last comparison. */
  private checked: { size: number; at: number } | undefined;

  constructor(
    private readonly exchange: ExchangeClient,
    private readonly mirror: LogMirror,
    private readonly alarms: Alarms,
    private readonly now: () => number,
  ) {}

  /** Forgets the rounds views went unserved: called when a round skips the comparison (the exchange unreachable). */
  skipped(): void {
    this.unserved.clear();
  }

  /**
   * Whether the full views are due (issue 14, "no periodic task recomputes anything over the
   * whole log"): the statistics and every page of the deadlines cost the open cases (core
   * figure-index.ts) on both sides, and an idle log's views change only as due dates pass, so
   * they are compared once the log has grown, or `recheckSeconds` after the last comparison.
   */
  due(recheckSeconds: number): boolean {
    // Not while a restart still counts its figure index between rounds (core FigureCell `driveCount`): reading them now would count the rest at once.
    if (this.mirror.state.figures.waitsForCount) return false;
    return this.checked === undefined || this.checked.size !== this.mirror.size || this.now() - this.checked.at >= recheckSeconds;
  }

  /**
   * One round of comparisons. The statistics and every page of the deadlines only when `full`
   * (see `due`); a page of each other list every round, since a page costs a page.
   * A full comparison counts as done only once both views were served and compared: one the
   * exchange withholds or that fails to arrive is asked for again next round.
   */
  async check(full = true): Promise<void> {
    const size = this.mirror.size;
    const state = this.mirror.state;
    const at = this.now();
    const problems: string[] = [];
    const unserved: string[] = [];
    const evidence: Record<string, string> = {};
    const compare: Compare = async (name, path, recompute) => {
      const served = await this.exchange.view(path);
      if (!served.served) {
        // A view the exchange will not serve cannot be checked: a round or two may be a
        // restart or a load spike, but a view withheld round after round is reported.
        const rounds = (this.unserved.get(name) ?? 0) + 1;
        this.unserved.set(name, rounds);
        if (rounds >= UNSERVED_ROUNDS) unserved.push(`${name} at size ${size}, ${rounds} rounds in a row (it ${served.why})`);
        return undefined;
      }
      this.unserved.delete(name);
      const answer = served.body;
      const stated = answer as { size?: unknown; at?: unknown; next?: string | null };
      if (stated.size !== size) {
        problems.push(`${name} was asked at size ${size} and answered for size ${String(stated.size)}`);
        evidence[name] = JSON.stringify(answer);
        return undefined;
      }
      if (!sameView(recompute({ ...(typeof stated.at === 'number' ? { at: stated.at } : {}) }), answer)) {
        problems.push(`${name} at size ${size} differs from this gateway's replay of the same entries`);
        evidence[name] = JSON.stringify(answer);
        return { next: stated.next, differs: true };
      }
      return { next: stated.next, differs: false };
    };
    if (full) {
      const statistics = await compare('statistics', `/v1/statistics?size=${size}&at=${at}`, (stated) => statisticsView(state, stated.at ?? at));
      const deadlines = await this.compareDeadlines(compare, state, size, at);
      if (statistics && deadlines) this.checked = { size, at };
    }
    const requests = await compare('requests', `/v1/requests?size=${size}&limit=${PAGE_SIZE}&after=${this.requestsCursor}`, () => requestsPage(state, parseCursor(this.requestsCursor) ?? 0, PAGE_SIZE));
    this.requestsCursor = requests?.next ?? '';
    const trades = await compare('trades', `/v1/trades?size=${size}&limit=${PAGE_SIZE}&after=${this.tradesCursor}`, () => tradesPage(state, parseCursor(this.tradesCursor) ?? 0, PAGE_SIZE));
    this.tradesCursor = trades?.next ?? '';
    // The incident ledger (issue 17) is time-bound like the statistics: recomputed at the instant it states.
    const incidents = await compare('incidents', `/v1/incidents?size=${size}&at=${at}&limit=${PAGE_SIZE}&after=${this.incidentsCursor}`, (stated) => incidentsPage(state, stated.at ?? at, parseCursor(this.incidentsCursor) ?? 0, PAGE_SIZE));
    this.incidentsCursor = incidents?.next ?? '';
    const groups = await compare('groups', `/v1/groups?size=${size}&at=${at}&limit=${PAGE_SIZE}&after=${this.groupsCursor}`, (stated) => groupsPage(state, stated.at ?? at, parseCursor(this.groupsCursor) ?? 0, PAGE_SIZE));
    this.groupsCursor = groups?.next ?? '';
    // A view withheld is not a view that lies: its own alarm, since an exchange of another
    // version may lack a view, and an operator avoiding a check looks the same from here.
    if (unserved.length === 0) this.alarms.clear('VIEW_UNSERVED');
    else this.alarms.raise('VIEW_UNSERVED', `the exchange does not serve its public views, so this gateway cannot check them: ${unserved.join('; ')}. Ask the operator why; a view withheld from the parties is one they cannot hold the exchange to.`);
    if (problems.length === 0) {
      this.alarms.clear('VIEW_MISMATCH');
      return;
    }
    this.alarms.raise('VIEW_MISMATCH', `the exchange's public views misreport the record: ${problems.join('; ')}. Compare them with this gateway's own (/api/statistics, /api/deadlines) and report it; the views are kept as evidence.`, evidence);
  }

  /**
   * One page of the open obligations per full round (issue 14: the view is paged, and no periodic
   * task reads a list whole), at the size and instant the exchange states for it, from where the
   * last round stopped, back to the first page after the last: like the other lists, the whole
   * view is compared over successive rounds, and a round costs one page on both sides. `state` is
   * the replay at `size`, taken when the round began: the mirror may have grown since.
   */
  private async compareDeadlines(compare: Compare, state: State, size: number, at: number): Promise<boolean> {
    const from = parseCursor(this.deadlinesCursor) ?? 0;
    const page = await compare('deadlines', `/v1/deadlines?size=${size}&at=${at}&limit=${PAGE_LIMIT}&after=${this.deadlinesCursor}`, (answer) => deadlinesPage(state, answer.at ?? at, {}, from, PAGE_LIMIT));
    if (!page) return false;
    // A page that differs is reported (and compared again next time); one equal to the replay's states the replay's own `next`.
    this.deadlinesCursor = page.differs ? this.deadlinesCursor : page.next ?? '';
    return true;
  }
}

/**
 * Compares one view as served at `path` with the replay's (`recompute`, given what the view
 * states): undefined when it was not served or answered for another size, otherwise its `next`
 * and whether it differed (the difference is already recorded).
 */
type Compare = (name: string, path: string, recompute: (stated: { at?: number }) => unknown) => Promise<{ next?: string | null | undefined; differs: boolean } | undefined>;

/** Items per page of a list view compared in one round. */
const PAGE_SIZE = 50;
/** Rounds in a row a view may go unserved before it is reported: withholding a view is how an exchange would avoid its check. */
const UNSERVED_ROUNDS = 3;
