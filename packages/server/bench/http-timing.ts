// Timed reads over HTTP for the growth table (growth.bench.ts): a view's latency, and what
// the console's dashboard reads at each load.

const CALLS = 20;

async function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return { ms: performance.now() - start, bytes: body.byteLength };
}

/** One cold call, then the median of CALLS calls, one after another. */
export async function latency(url: string, headers: Record<string, string> = {}): Promise<{ cold: number; median: number; bytes: number }> {
  const cold = await timedGet(url, headers);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) times.push((await timedGet(url, headers)).ms);
  times.sort((a, b) => a - b);
  return { cold: cold.ms, median: times[Math.floor(times.length / 2)]!, bytes: cold.bytes };
}

/**
 * What the console's reciprocity dashboard reads each time it loads, and again at each growth
 * of the log while it is open (web console/dashboard-page.tsx): every page of the requests in
 * filing order, 200 a page, at most 1,000 pages. Seconds, pages, and whether it was cut there.
 */
export async function dashboardRead(gatewayUrl: string, headers: Record<string, string>): Promise<{ seconds: number; pages: number; cut: boolean }> {
  const start = performance.now();
  let after = '';
  for (let pages = 1; pages <= 1_000; pages++) {
    const response = await fetch(`${gatewayUrl}/api/requests?sort=filed&limit=200${after ? `&after=${after}` : ''}`, { headers });
    if (response.status !== 200) throw new Error(`dashboard page ${pages}: ${response.status}`);
    const { next } = (await response.json()) as { next: string | null };
    if (next === null) return { seconds: (performance.now() - start) / 1000, pages, cut: false };
    after = next;
  }
  return { seconds: (performance.now() - start) / 1000, pages: 1_000, cut: true };
}

