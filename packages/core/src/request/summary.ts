import { evaluate, type Evaluation } from '../treaty/evaluate.ts';
import type { RequestView } from '../treaty/request-view.ts';
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

/** The treaty's evaluation of one request in this state; undefined before any treaty is adopted. */
export function evaluateRequest(state: State, record: RequestRecord): Evaluation | undefined {
  return state.treaty ? evaluate(state.treaty, record.view, state) : undefined;
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
