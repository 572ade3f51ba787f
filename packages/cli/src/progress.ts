/**
 * Progress on stderr for work over a long log (verify, prove): a line per tenth of the
 * entries, `<command>: done/total entries <what> (P%)`. A log under 2,000 entries is quick
 * enough to need none.
 */
export function progressReporter(command: string, what: string, enabled: boolean, write: (line: string) => void = (line) => process.stderr.write(line)): (done: number, total: number) => void {
  let shown = 0;
  return (done, total) => {
    if (!enabled || total < 2_000) return;
    const tenth = Math.floor((done * 10) / total);
    if (tenth > shown || done === total) {
      shown = tenth;
      write(`${command}: ${done}/${total} entries ${what} (${Math.floor((done * 100) / total)}%)\n`);
    }
  };
}
