/**
 * The one place that talks to HiGHS (npm `highs`, HiGHS compiled to WASM).
 * - One runtime per process (or worker): every `createModel` lives in the same WASM heap
 *   and is freed by `dispose()`; garbage collection does not free it (reference §4,
 *   "mandatory dispose()"). Loading a fresh runtime per solve would instead grow RSS by a
 *   new heap each time, so the loader is cached.
 * - Models are passed as CSC arrays, which §4 measured 2–3× cheaper than LP text.
 * - Solves are synchronous and single-threaded; HiGHS's own clock enforces time limits.
 */
import m from 'highs';
import type { Highs, ModelData } from 'highs';

// reference/stack.md §6: the package is CommonJS with ESM typings; under NodeNext the
// default import is the module namespace, so reach for `.default` when it is there.
const highsLoader = ((m as any).default ?? m) as typeof m.default;

let shared: Promise<Highs> | undefined;

/** The process's HiGHS runtime, loaded on first use. */
export function loadHighs(): Promise<Highs> {
  shared ??= highsLoader();
  return shared;
}

/** Column-wise model under construction; rows are declared first, columns appended. */
export class ColumnModel {
  private readonly cost: number[] = [];
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly integer: number[] = [];
  private readonly starts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];

  get columnCount(): number {
    return this.cost.length;
  }

  addRow(lower: number, upper: number): number {
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    return this.rowLower.length - 1;
  }

  /** Appends a column; `rows` must not repeat a row (HiGHS rejects duplicates). */
  addColumn(cost: number, lower: number, upper: number, integer: boolean, rows: readonly number[], values: readonly number[]): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer ? 1 : 0);
    for (let k = 0; k < rows.length; k += 1) {
      this.indices.push(rows[k] as number);
      this.values.push(values[k] as number);
    }
    this.starts.push(this.indices.length);
    return this.cost.length - 1;
  }

  setColumnUpper(column: number, upper: number): void {
    this.upper[column] = upper;
  }

  /** `costs` replaces the objective, for a later stage over the same columns and rows. */
  toModelData(highs: Highs, maximise: boolean, costs?: Float64Array, relax = false): ModelData {
    const hasIntegers = !relax && this.integer.some((flag) => flag === 1);
    return {
      numCols: this.cost.length,
      numRows: this.rowLower.length,
      sense: maximise ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
      colCost: costs ?? Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      matrix: {
        format: 'csc',
        numRows: this.rowLower.length,
        numCols: this.cost.length,
        starts: Int32Array.from(this.starts),
        indices: Int32Array.from(this.indices),
        values: Float64Array.from(this.values),
      },
      ...(hasIntegers ? { integrality: Int32Array.from(this.integer) } : {}),
    };
  }
}

export type SolveStatus = 'optimal' | 'time-limit' | 'infeasible' | 'other';

export interface SolveOutcome {
  readonly status: SolveStatus;
  /** Column values of the best feasible point, when HiGHS has one. */
  readonly values: Float64Array | undefined;
  readonly objective: number | undefined;
  /** For a MIP, HiGHS's proven bound (an upper bound when maximising). */
  readonly dualBound: number | undefined;
  readonly seconds: number;
}

export interface SolveSettings {
  readonly timeLimitSeconds: number;
  readonly mipRelGap?: number;
  /** A feasible point to start from (the warm start of §6(a)3). */
  readonly start?: Float64Array;
}

/**
 * Builds, runs and disposes one model. A time limit is an outcome, not an error; HiGHS
 * exceptions (invalid data, a bug) propagate, after the model has been freed.
 */
export function solveModel(highs: Highs, data: ModelData, settings: SolveSettings): SolveOutcome {
  const model = highs.createModel(data);
  try {
    model.options.set({
      output_flag: false,
      time_limit: Math.max(settings.timeLimitSeconds, 0.001),
      mip_rel_gap: settings.mipRelGap ?? 1e-6,
      random_seed: 0,
    });
    if (settings.start !== undefined) model.setSolution({ colValue: settings.start });
    const run = model.run();
    const codes = highs.constants.modelStatus;
    const status: SolveStatus =
      run.modelStatus === codes.optimal ? 'optimal'
      : run.modelStatus === codes.timeLimit ? 'time-limit'
      : run.modelStatus === codes.infeasible ? 'infeasible'
      : 'other';
    const feasible = Number(model.info.get('primal_solution_status')) === 2;
    const values = feasible ? model.getSolution().colValue : undefined;
    const isMip = data.integrality !== undefined;
    const dualBound = isMip ? Number(model.info.get('mip_dual_bound')) : undefined;
    return {
      status,
      values,
      objective: feasible ? model.getObjectiveValue() : undefined,
      dualBound: dualBound !== undefined && Number.isFinite(dualBound) ? dualBound : undefined,
      seconds: model.getRunTime(),
    };
  } finally {
    model.dispose();
  }
}
