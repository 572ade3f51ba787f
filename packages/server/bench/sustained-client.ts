// The clients of the sustained benchmark (issue 14), in a process of their own so that they do
// not share a service's event loop: each logs in as a clerk of its gateway (gateway-stack.ts
// `login`, the console's own login and CSRF protocol) and files requests through the official
// API, one after another, until the time is up. Each files as the console does, with
// `wait=false`: the answer comes once the exchange has signed its receipt (routes-requests.ts
// `filingQuery`). One filing in OPEN_SAMPLE is also followed in the background until its
// request opens (GET /api/requests/{id} answers 200: a witnessed checkpoint covers it), what
// an official waits for before the request's page shows it.
// Input: a JSON job file. Output: one JSON line per minute on stdout (filings completed in it,
// latencies, time to open, errors), the last one for what is left of the run, so that a run
// cut short still reports its finished minutes.
import { readFileSync } from 'node:fs';
import { percentile } from '@evenhand/testing';
import { login } from '../test/gateway-stack.ts';

interface Job {
  readonly clients: readonly { readonly party: string; readonly url: string; readonly username: string; readonly requested: readonly string[] }[];
  readonly seconds: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const officials = await Promise.all(job.clients.map((client) => login(client.url, client.username)));
const started = performance.now();
const end = started + job.seconds * 1000;
/** One filing in this many is followed until its request opens; the others are not, so that the reads add little load. */
const OPEN_SAMPLE = 10;
/** A request not open after this long counts as an error: the page would have said "pending" all along. */
const OPEN_LIMIT_MS = 30_000;
interface Bucket {
  latencies: number[];
  opened: number[];
  errors: number;
  firstError: string;
}
const emptyBucket = (): Bucket => ({ latencies: [], opened: [], errors: 0, firstError: '' });
let bucket = emptyBucket();
let minute = 0;
let bucketStart = started;

function emit(): void {
  const seconds = (performance.now() - bucketStart) / 1000;
  minute += 1;
  const opened = bucket.opened.length > 0 ? { opened: bucket.opened.length, openedP50: percentile(bucket.opened, 50), openedP99: percentile(bucket.opened, 99) } : { opened: 0 };
  process.stdout.write(`${JSON.stringify({ minute, seconds, filings: bucket.latencies.length, perSecond: bucket.latencies.length / seconds, p50: percentile(bucket.latencies, 50), p99: percentile(bucket.latencies, 99), ...opened, errors: bucket.errors, firstError: bucket.firstError })}\n`);
  bucket = emptyBucket();
  bucketStart = performance.now();
}
const ticker = setInterval(emit, 60_000);

function failed(what: string): void {
  bucket.errors += 1;
  bucket.firstError ||= what;
}

/** Reads the request until it opens; the gateway holds each read a few seconds before it answers REQUEST_PENDING (context.ts `ownRequest`). */
async function timeOpening(official: (typeof officials)[number], request: string, sent: number): Promise<void> {
  while (performance.now() - sent < OPEN_LIMIT_MS) {
    const answer = await official.call('GET', `/api/requests/${encodeURIComponent(request)}`);
    if (answer.status === 200) {
      bucket.opened.push(performance.now() - sent);
      return;
    }
    if (answer.status !== 409) return failed(`${request} did not open: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  failed(`${request} did not open within ${OPEN_LIMIT_MS} ms`);
}
/** The openings still being followed; each leaves the set when it settles. */
const openings = new Set<Promise<void>>();

const offenceDate = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
await Promise.all(
  job.clients.map(async (client, c) => {
    const official = officials[c]!;
    for (let n = 0; performance.now() < end; n++) {
      const request = `${client.party}-S${c}-${n}`;
      const sent = performance.now();
      try {
        const answer = await official.call('POST', '/api/requests?wait=false', {
          request,
          requested: client.requested[n % client.requested.length],
          kind: 'extradition',
          purpose: 'prosecution',
          subject: { pseudonym: `s-${c}-${n}`, nationalities: ['UA'], ageAtOffence: 30 },
          offences: ['computer-fraud'],
          offenceDate,
          sealed: { identity: `sealed identity of s-${c}-${n}`, statement: 'Fraud by a crew operating across borders.' },
        });
        if (answer.status === 201) {
          bucket.latencies.push(performance.now() - sent);
          if (n % OPEN_SAMPLE === 0) {
            const opening = timeOpening(official, request, sent).catch((error) => failed(`${request}: ${String(error)}`));
            openings.add(opening);
            void opening.finally(() => openings.delete(opening));
          }
        } else failed(`${request}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      } catch (error) {
        failed(`${request}: ${String(error)}`);
      }
    }
  }),
);
// The last filings' requests open within OPEN_LIMIT_MS, each, or count as errors.
await Promise.all([...openings]);
clearInterval(ticker);
// What is left after the last whole minute, unless it is a moment too short to say anything.
if ((performance.now() - bucketStart) / 1000 >= 5 && (bucket.latencies.length > 0 || bucket.errors > 0)) emit();
