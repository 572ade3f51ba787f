/**
 * Where a long extension of a gateway's mirror stands (issue 14). A gateway started on an
 * empty database, or stopped while the log grew, takes the gap a chunk at a time after it
 * listens (fresh-entries.ts): at 10^6 entries that is minutes, in which its console would
 * otherwise show no checkpoint and no reason. Each chunk is checked, replayed and stored
 * before the next is fetched, so `held` is what a restart would keep.
 */
export interface CatchUpStatus {
  /** Entries the mirror held when the catch-up began. */
  readonly from: number;
  /** The size of the signed tree it is catching up to. */
  readonly to: number;
  /** Entries it holds now. */
  readonly held: number;
  /** When it began, in Unix seconds (the gateway's clock). */
  readonly since: number;
}

/** Told as a catch-up goes; `ended` with `held` short of `to` means it stopped, and the gateway's alarms say why. */
export interface CatchUpProgress {
  readonly began?: ((status: CatchUpStatus) => void) | undefined;
  readonly advanced?: ((status: CatchUpStatus) => void) | undefined;
  readonly ended?: ((status: CatchUpStatus) => void) | undefined;
}

/** The catch-up in progress, if any, for the health route, and its progress for whoever watches (the CLI's `serve`). */
export class CatchUp {
  private current: CatchUpStatus | undefined;

  constructor(
    private readonly progress: CatchUpProgress | undefined,
    private readonly now: () => number,
  ) {}

  get status(): CatchUpStatus | undefined {
    return this.current;
  }

  /** Runs `body`, a catch-up from `from` to `to` entries, which calls `advance` with the entries held after each chunk. */
  async run<T>(from: number, to: number, body: (advance: (held: number) => void) => Promise<T>): Promise<T> {
    let status: CatchUpStatus = { from, to, held: from, since: this.now() };
    this.current = status;
    this.progress?.began?.(status);
    try {
      return await body((held) => {
        status = { ...status, held };
        this.current = status;
        this.progress?.advanced?.(status);
      });
    } finally {
      this.current = undefined;
      this.progress?.ended?.(status);
    }
  }
}
