import { evaluate, type Evaluation } from '../treaty/evaluate.ts';
import type { RequestView } from '../treaty/request-view.ts';
import type { Treaty } from '../treaty/schema.ts';
import { listRequests, type DecisionRecord, type HistoryItem, type RequestRecord, type RequestStatus, type State } from './state.ts';

/**
 * The public view of a request for consoles, the CLI and the transparency page: what was
 * asked, where it stands, what happened when, and how the treaty evaluates it now. The
 * evaluation is derived on demand, never stored: mirrored grounds depend on the whole log
 * (Arrangement art. 5(1)), so it is computed against the state it is read from.
 */
export interface RequestSummary {
  readonly id: string;
  readonly pseudonym: string;
  readonly view: RequestView;
  readonly status: RequestStatus;
  readonly history: readonly HistoryItem[];
  readonly decision: DecisionRecord | undefined;
  readonly evaluation: Evaluation | undefined;
}

/**
 * The evaluations made lately, by the request's view. An evaluation reads the view, the treaty
 * and the grounds invoked so far, and nothing else (evaluate.ts, EvaluationContext); a view
 * never changes once filed, and the treaty and the invocations are replaced, never changed,
 * when they move on. So one kept for the same three is the evaluation. A page of requests
 * evaluates each of its 50 items, and every reader of the first page asked for the same 50
 * (issue 14: first page ≤ 20 ms at 10^6). Bounded, least recently used first out, so that
 * reading every page keeps no more than this many: a page of the most items (200), or five of
 * the default 50. An evaluation with its view is some 3.8 KB of a gateway's heap: 2,048 of them
 * took 7.8 MB, which a gateway's heap gained in the first minutes of the sustained run
 * (issue 14, "RSS flat after warm-up").
 */
const KEPT_EVALUATIONS = 256;
const evaluations = new Map<RequestView, { readonly treaty: Treaty; readonly invocations: State['invocations']; readonly evaluation: Evaluation }>();

/** The treaty's evaluation of one request in this state; undefined before any treaty is adopted. */
export function evaluateRequest(state: State, record: RequestRecord): Evaluation | undefined {
  const treaty = state.treaty;
  if (!treaty) return undefined;
  const kept = evaluations.get(record.view);
  if (kept) {
    evaluations.delete(record.view);
    if (kept.treaty === treaty && kept.invocations === state.invocations) {
      evaluations.set(record.view, kept);
      return kept.evaluation;
    }
  }
  const evaluation = evaluate(treaty, record.view, state);
  evaluations.set(record.view, { treaty, invocations: state.invocations, evaluation });
  if (evaluations.size > KEPT_EVALUATIONS) evaluations.delete(evaluations.keys().next().value as RequestView);
  return evaluation;
}

export function summarizeRequest(state: State, record: RequestRecord): RequestSummary {
  return {
    id: record.id,
    pseudonym: record.pseudonym,
    view: record.view,
    status: record.status,
    history: record.history,
    decision: record.decision,
    evaluation: evaluateRequest(state, record),
  };
}

/** Every request in filing order, with its evaluation. */
export function requestSummaries(state: State): RequestSummary[] {
  return listRequests(state).map((record) => summarizeRequest(state, record));
}
