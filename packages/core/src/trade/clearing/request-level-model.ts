/**
 * Model A of §5, the kidney-exchange cycle formulation, kept only for comparison (the
 * benchmark's time ratio and a cross-check in tests): one binary per request-level cycle,
 * one "≤ 1" row per request. A state cycle whose arcs carry k1, k2, k3 requests yields
 * k1·k2·k3 request cycles, which is why it reached 335,709 columns at 20 states and 2,000
 * requests where model B has 2,413 (§0). Not for production (§6(b): no request-level model
 * above ~50k cycles).
 */
import type { Highs } from 'highs';
import { enumerateCycles } from './cycles.ts';
import { buildGraph } from './graph.ts';
import { ColumnModel, solveModel, type SolveStatus } from './highs-runtime.ts';
import type { ClearingRequest } from './types.ts';

export interface RequestLevelResult {
  /** Number of request-level cycles (columns), or how far counting got before the cap. */
  readonly columns: number;
  /** False when the column count exceeded the cap and nothing was solved. */
  readonly solved: boolean;
  readonly status: SolveStatus | 'not-run';
  readonly objective: number;
  readonly dualBound: number | undefined;
  readonly seconds: number;
}

export function solveRequestLevel(
  highs: Highs,
  requests: readonly ClearingRequest[],
  maxLength: number,
  timeLimitSeconds: number,
  maxColumns: number,
): RequestLevelResult {
  const graph = buildGraph(requests.filter((request) => request.weight > 0));
  const { cycles } = enumerateCycles(graph, maxLength, Number.MAX_SAFE_INTEGER);
  let columns = 0;
  for (const cycle of cycles) {
    columns += cycle.reduce((product, arcIndex) => product * (graph.arcs[arcIndex]?.requests.length ?? 0), 1);
  }
  if (columns > maxColumns) return { columns, solved: false, status: 'not-run', objective: 0, dualBound: undefined, seconds: 0 };
  const model = new ColumnModel();
  for (let r = 0; r < graph.requests.length; r += 1) model.addRow(Number.NEGATIVE_INFINITY, 1);
  const weightOf = (r: number): number => (graph.requests[r] as { weight: number }).weight;
  for (const cycle of cycles) {
    const lists = cycle.map((arcIndex) => graph.arcs[arcIndex]?.requests ?? []);
    // Odometer over the Cartesian product of the arcs' request lists.
    const digit = lists.map(() => 0);
    for (;;) {
      const chosen = lists.map((list, i) => list[digit[i] as number] as number);
      const rows = [...chosen].sort((a, b) => a - b);
      model.addColumn(chosen.reduce((sum, r) => sum + weightOf(r), 0), 0, 1, true, rows, rows.map(() => 1));
      let i = 0;
      while (i < lists.length) {
        digit[i] = (digit[i] as number) + 1;
        if ((digit[i] as number) < (lists[i] as readonly number[]).length) break;
        digit[i] = 0;
        i += 1;
      }
      if (i === lists.length) break;
    }
  }
  if (model.columnCount === 0) return { columns: 0, solved: true, status: 'optimal', objective: 0, dualBound: 0, seconds: 0 };
  const outcome = solveModel(highs, model.toModelData(highs, true), { timeLimitSeconds });
  return {
    columns: model.columnCount,
    solved: true,
    status: outcome.status,
    objective: outcome.objective ?? 0,
    dualBound: outcome.dualBound,
    seconds: outcome.seconds,
  };
}
