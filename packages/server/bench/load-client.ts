// The load generator of the service benchmarks, run as a second process so that it does not
// share the server's event loop (issue 4: "the load runs on loopback from a second process").
// Input: a JSON job file. Output: one JSON line of measurements on stdout.
import { readFileSync } from 'node:fs';

interface AppendJob {
  readonly mode: 'append';
  readonly url: string;
  /** One list of base64 entries per author; each stream is sent in order, streams in parallel. */
  readonly streams: readonly (readonly string[])[];
  readonly wait: boolean;
  /** Entries per request: above 1, each stream is sent in batches to /v1/entries/batch (issue 14). */
  readonly batch?: number;
}

interface ReadJob {
  readonly mode: 'read';
  readonly url: string;
  readonly path: string;
  readonly cookie: string;
  readonly ratePerSecond: number;
  readonly seconds: number;
}

type Job = AppendJob | ReadJob;

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;

async function runAppend(work: AppendJob) {
  const latencies: number[] = [];
  let failed = 0;
  let firstError = '';
  let acceptedInBatches = 0;
  const started = performance.now();
  const batch = work.batch ?? 1;
  await Promise.all(
    work.streams.map(async (stream) => {
      if (batch > 1) {
        for (let from = 0; from < stream.length; from += batch) {
          const sent = performance.now();
          const response = await fetch(`${work.url}/v1/entries/batch`, { method: 'POST', body: JSON.stringify({ entries: stream.slice(from, from + batch) }), headers: { 'content-type': 'application/json' } });
          const text = await response.text();
          const results = response.status === 200 ? (JSON.parse(text) as { results: { index?: number }[] }).results : [];
          const refused = results.filter((result) => result.index === undefined).length + (response.status === 200 ? 0 : Math.min(batch, stream.length - from));
          failed += refused;
          if (refused > 0) firstError ||= `${response.status} ${text.slice(0, 300)}`;
          acceptedInBatches += results.length - results.filter((result) => result.index === undefined).length;
          latencies.push(performance.now() - sent);
        }
        return;
      }
      for (const encoded of stream) {
        const sent = performance.now();
        const response = await fetch(`${work.url}/v1/entries${work.wait ? '?wait=1' : ''}`, { method: 'POST', body: Buffer.from(encoded, 'base64'), headers: { 'content-type': 'application/json' } });
        const text = await response.text();
        if (response.status !== 201) {
          failed += 1;
          firstError ||= `${response.status} ${text.slice(0, 300)}`;
        } else latencies.push(performance.now() - sent);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, accepted: batch > 1 ? acceptedInBatches : latencies.length, failed, firstError, latenciesMs: latencies };
}

async function runRead(work: ReadJob) {
  const latencies: number[] = [];
  let failed = 0;
  const total = Math.round(work.ratePerSecond * work.seconds);
  const interval = 1000 / work.ratePerSecond;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Open-loop: request i leaves at its scheduled instant whatever the earlier ones do.
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(
      (async () => {
        const sent = performance.now();
        const response = await fetch(`${work.url}${work.path}`, { headers: { cookie: work.cookie } });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - sent);
        else failed += 1;
      })(),
    );
  }
  await Promise.all(inflight);
  return { seconds: (performance.now() - started) / 1000, accepted: latencies.length, failed, latenciesMs: latencies };
}

const result = job.mode === 'append' ? await runAppend(job) : await runRead(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
