/**
 * Model B of §5, the state-level cycle formulation:
 * - integer z_C ≥ 0 per state cycle C of length ≤ L: how many copies of C run;
 * - continuous y_e ∈ [0, 1] per request e on an arc of some cycle;
 * - per arc a: Σ_{C ∋ a} z_C = Σ_{e ∈ a} y_e;
 * - maximise Σ w_e·y_e.
 * Unlike kidney exchange, states repeat across cycles and only requests (arcs) are
 * consumed, so the model has one column per state cycle instead of one per request
 * cycle: 2,413 against 335,709 columns at 20 states and 2,000 requests (§0).
 * y may stay continuous: for integer z the LP picks the top-k requests on each arc,
 * which is what `decodeCopies` re-derives (§6(a)2).
 */
import type { PoolGraph } from './graph.ts';
import { ColumnModel } from './highs-runtime.ts';
import type { CycleSolution } from './greedy.ts';

export interface CycleModel {
  readonly model: ColumnModel;
  /** Column of z_C for each cycle. */
  readonly zColumn: Int32Array;
  /** Column of y_e for each request index, or -1 when the request is on no cycle. */
  readonly yColumn: Int32Array;
}

/** Extra rows that y columns also enter (the fairness stage's received-weight rows). */
export interface CycleModelExtension {
  /** Declares the extra rows; called after the arc rows, before any column. */
  addRows(model: ColumnModel): void;
  /** Extra (row, coefficient) entries of y_e. */
  yEntries(requestIndex: number): { rows: readonly number[]; values: readonly number[] };
}

export function buildCycleModel(graph: PoolGraph, cycles: readonly (readonly number[])[], extension?: CycleModelExtension): CycleModel {
  const model = new ColumnModel();
  const arcRow = new Int32Array(graph.arcs.length).fill(-1);
  for (const cycle of cycles) {
    for (const arcIndex of cycle) {
      if (arcRow[arcIndex] === -1) arcRow[arcIndex] = model.addRow(0, 0);
    }
  }
  extension?.addRows(model);
  const zColumn = new Int32Array(cycles.length);
  cycles.forEach((cycle, index) => {
    // A cycle cannot run more copies than its scarcest arc has requests.
    let capacity = Number.POSITIVE_INFINITY;
    for (const arcIndex of cycle) capacity = Math.min(capacity, graph.arcs[arcIndex]?.requests.length ?? 0);
    const rows = cycle.map((arcIndex) => arcRow[arcIndex] as number);
    zColumn[index] = model.addColumn(0, 0, capacity, true, rows, rows.map(() => 1));
  });
  const yColumn = new Int32Array(graph.requests.length).fill(-1);
  graph.arcs.forEach((arc, arcIndex) => {
    const row = arcRow[arcIndex] as number;
    if (row === -1) return;
    for (const requestIndex of arc.requests) {
      const weight = (graph.requests[requestIndex] as { weight: number }).weight;
      const extra = extension?.yEntries(requestIndex) ?? { rows: [], values: [] };
      yColumn[requestIndex] = model.addColumn(weight, 0, 1, false, [row, ...extra.rows], [-1, ...extra.values]);
    }
  });
  return { model, zColumn, yColumn };
}

/** The column vector of a cycle solution: z = copies, y = top-k on each arc (warm start). */
export function startVector(graph: PoolGraph, cycles: readonly (readonly number[])[], built: CycleModel, solution: CycleSolution, columns: number): Float64Array {
  const start = new Float64Array(columns);
  const used = new Int32Array(graph.arcs.length);
  solution.copies.forEach((copies, index) => {
    start[built.zColumn[index] as number] = copies;
    for (const arcIndex of cycles[index] as readonly number[]) used[arcIndex] = (used[arcIndex] as number) + copies;
  });
  graph.arcs.forEach((arc, arcIndex) => {
    for (let k = 0; k < (used[arcIndex] as number); k += 1) {
      start[built.yColumn[arc.requests[k] as number] as number] = 1;
    }
  });
  return start;
}

/** Reads z from a solver's column values; z is integral up to HiGHS's tolerance. */
export function decodeCopies(built: CycleModel, values: Float64Array): Int32Array {
  return Int32Array.from(built.zColumn, (column) => Math.max(0, Math.round(values[column] as number)));
}
