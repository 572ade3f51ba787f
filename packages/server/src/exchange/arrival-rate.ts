/**
 * How fast entries arrive, smoothed over a time constant: each entry adds 1/τ to the rate, and
 * the rate decays by e^(−t/τ), so a burst of a few entries moves it little and a steady flow of
 * r per millisecond brings it to r within a few τ (an exponentially weighted moving average
 * over irregular intervals: α = 1 − e^(−Δt/τ)).
 *
 * Why the publisher needs it (publisher.ts `spacingMs`): with a few authors each waiting for
 * its answer before it sends the next entry, the backlog a round leaves never grows past the
 * number of authors, however fast they go; only the rate tells that flood from a trickle.
 */
export class ArrivalRate {
  private rate = 0;
  private at: number | undefined;
  private size = 0;

  constructor(private readonly timeConstantMs: number) {}

  /** The rate, in entries per millisecond, once the log holds `size` entries at `nowMs`. */
  observe(nowMs: number, size: number): number {
    if (this.at === undefined || size < this.size) {
      this.at = nowMs;
      this.size = size;
      return this.rate;
    }
    const elapsed = nowMs - this.at;
    // Entries at one instant are counted once time has passed, over the time they came in.
    if (elapsed <= 0) return this.rate;
    const weight = 1 - Math.exp(-elapsed / this.timeConstantMs);
    this.rate += weight * ((size - this.size) / elapsed - this.rate);
    this.at = nowMs;
    this.size = size;
    return this.rate;
  }
}
