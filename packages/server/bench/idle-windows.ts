// Idle CPU of benchmark services, read over windows one after another (issue 14, "idle CPU ≤ 2%
// of a core"). After a start, V8's memory reducer collects what the start left behind once the
// process is quiet, which can be minutes later: at 10^6 a restarted gateway idled at 1.3% of a
// core for a minute, then spent 1.2 s of CPU in three full collections about 110 s after its
// catch-up. A one-off such as that raises one window, or two if it spans their boundary; a
// periodic cost raises most. So the figure is the windows' median, and each window is printed
// with the full collections each process ran in it (bench-service.ts counts them), with the
// mean beside the median. Of four windows, the median (the mean of the middle two) ignores one
// raised window, and moves by half the smaller part of a one-off split over two.
import { median } from '@evenhand/testing';
import { cpuSeconds, sleep, type ServiceProcess } from './bench-procs.ts';

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Full collections a service has run since it was ready, and their pauses (bench-service.ts `majorCollections`). */
async function collections(service: ServiceProcess): Promise<{ readonly count: number; readonly ms: number }> {
  return (await service.status()).majorCollections as { count: number; ms: number };
}

/**
 * Reads each service's CPU over `windows` windows of `seconds`, one after another, and prints
 * each; returns each service's median, in % of a core, in the order given.
 */
export async function idleWindows(services: readonly { readonly name: string; readonly service: ServiceProcess }[], windows: number, seconds: number, log: (line: string) => void): Promise<number[]> {
  const used: number[][] = services.map(() => []);
  for (let window = 1; window <= windows; window++) {
    const collectedBefore = await Promise.all(services.map(({ service }) => collections(service)));
    const before = services.map(({ service }) => cpuSeconds(service.pid));
    await sleep(seconds * 1000);
    const parts = await Promise.all(
      services.map(async ({ name, service }, i) => {
        const share = ((cpuSeconds(service.pid) - before[i]!) / seconds) * 100;
        used[i]!.push(share);
        const collected = await collections(service);
        return `${name} ${share.toFixed(2)}% of a core (${collected.count - collectedBefore[i]!.count} full collections, ${(collected.ms - collectedBefore[i]!.ms).toFixed(0)} ms)`;
      }),
    );
    log(`  idle window ${window} of ${windows} (${seconds} s): ${parts.join(', ')}`);
  }
  const medians = used.map(median);
  log(`  idle, the median of ${windows} windows of ${seconds} s: ${services.map(({ name }, i) => `${name} ${medians[i]!.toFixed(2)}%`).join(', ')} of a core (their mean: ${used.map((shares) => `${mean(shares).toFixed(2)}%`).join(' and ')})`);
  return medians;
}
