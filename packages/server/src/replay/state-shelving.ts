import type { State } from '@evenhand/core';
import { BagShelving } from './bag-shelving.ts';
import { HOT_RECORDS, RecordShelving } from './record-shelving.ts';

/**
 * What a holder of states (the exchange's sequencer, a gateway's verified prefix) puts on its
 * process's shelves as it moves from state to state: the request records no recent entry made
 * (record-shelving.ts), and the figure index's nodes no recent entry edited (bag-shelving.ts).
 * Each is told every state the holder moves to, and neither ever throws.
 *
 * One setting sizes both: `hotRecords`, the records the latest entries made that stay in the
 * heap (HOT_RECORDS by default), and a visit of the bags every quarter as many entries, so that
 * a node goes once that many entries passed without editing it (2,048 by default). With 0,
 * every record goes as soon as it is made, and the bags are visited at every state, so that
 * nearly every reading reads from a shelf: how the three-state walk runs
 * (walk-three-states.test.ts).
 */
export class StateShelving {
  readonly records: RecordShelving;
  readonly bags: BagShelving;

  constructor(hotRecords: number | undefined) {
    this.records = new RecordShelving(hotRecords);
    this.bags = new BagShelving(Math.max(1, Math.ceil((hotRecords ?? HOT_RECORDS) / 4)));
  }

  observe(state: State): void {
    this.records.observe(state);
    this.bags.observe(state);
  }

  /** Stops the visits of the bags that no state told brings (bag-shelving.ts): the holder lets its states go. */
  close(): void {
    this.bags.close();
  }
}
