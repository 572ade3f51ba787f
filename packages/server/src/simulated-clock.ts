/** Unix seconds by the machine's clock. */
export const unixNow = (): number => Math.floor(Date.now() / 1000);

/**
 * One clock for every service of a world that replays a past history: the demo seeding the
 * 2021 scenario, and tests. Services are given `now`; the seeder moves the clock to each act's
 * date before the act, so that every entry is dated by the signing gateway's clock and checked
 * by the exchange, the witnesses and every mirror exactly as in production (issue 12: the
 * demo's history is made with no time check switched off). It only moves forward: a witness
 * refuses a clock behind its last cosignature. Between moves it runs at the machine's pace,
 * or, `frozen`, stands still, so that a test can name the exact instant of each act.
 */
export class SimulatedClock {
  /** Seconds ahead of the machine's clock (running), or the instant itself (frozen). */
  private reading: number;

  constructor(
    start?: number,
    private readonly options: { readonly frozen?: boolean; readonly real?: () => number } = {},
  ) {
    const real = this.real();
    this.reading = options.frozen ? (start ?? real) : (start ?? real) - real;
  }

  private real(): number {
    return (this.options.real ?? unixNow)();
  }

  readonly now = (): number => (this.options.frozen ? this.reading : this.real() + this.reading);

  /** Moves the clock to `time`, or leaves it if it already reads later. */
  advanceTo(time: number): void {
    this.advanceBy(time - this.now());
  }

  /** Moves the clock forward by `seconds`. */
  advanceBy(seconds: number): void {
    this.reading += Math.max(0, seconds);
  }

  /** Catches up with the machine's clock, when it is behind it (the end of a replayed past). */
  catchUp(): void {
    this.advanceTo(this.real());
  }
}
