// Timed reads over HTTP for the growth table (growth.bench.ts): a view's latency.

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
