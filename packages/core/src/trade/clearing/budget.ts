/**
 * The time budget of one clearing call. Core reads no clock (DEVELOPERS.md "Layout"), so
 * by default only the seconds HiGHS reports for its own runs are counted. A caller that
 * needs a wall-clock bound (the exchange's round, the benchmark) passes its clock in;
 * then model building and the greedy count too, and each solve is left a margin for the
 * work that follows it.
 */
export class Budget {
  private readonly startedAt: number | undefined;
  private solverSeconds = 0;

  constructor(
    private readonly limitSeconds: number,
    private readonly clock: (() => number) | undefined,
  ) {
    this.startedAt = clock?.();
  }

  /** Records seconds a HiGHS run reported. */
  spend(seconds: number): void {
    this.solverSeconds += seconds;
  }

  get spentInSolver(): number {
    return this.solverSeconds;
  }

  /** Seconds the next solve may use; ≤ 0 means stop. */
  remaining(): number {
    if (this.clock === undefined || this.startedAt === undefined) return this.limitSeconds - this.solverSeconds;
    const left = this.limitSeconds - (this.clock() - this.startedAt);
    // Decoding, decomposing and freeing the model follow each solve.
    return left * 0.9 - 0.02;
  }
}
