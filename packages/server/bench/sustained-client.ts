// The clients of the sustained benchmark (issue 14), in a process of their own so that they do
// not share a service's event loop: each logs in as a clerk of its gateway (gateway-stack.ts
// `login`, the console's own login and CSRF protocol) and files requests through the official
// API, one after another, until the time is up. Input: a JSON job file. Output: one JSON line
// per minute on stdout (filings completed in it, latencies, errors), the last one for what is
// left of the run, so that a run cut short still reports its finished minutes.
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
let bucket: { latencies: number[]; errors: number; firstError: string } = { latencies: [], errors: 0, firstError: '' };
let minute = 0;
let bucketStart = started;

function emit(): void {
  const seconds = (performance.now() - bucketStart) / 1000;
  minute += 1;
  process.stdout.write(`${JSON.stringify({ minute, seconds, filings: bucket.latencies.length, perSecond: bucket.latencies.length / seconds, p50: percentile(bucket.latencies, 50), p99: percentile(bucket.latencies, 99), errors: bucket.errors, firstError: bucket.firstError })}\n`);
  bucket = { latencies: [], errors: 0, firstError: '' };
  bucketStart = performance.now();
}
const ticker = setInterval(emit, 60_000);

const offenceDate = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
await Promise.all(
  job.clients.map(async (client, c) => {
    const official = officials[c]!;
    for (let n = 0; performance.now() < end; n++) {
      const request = `${client.party}-S${c}-${n}`;
      const sent = performance.now();
      try {
        const answer = await official.call('POST', '/api/requests', {
          request,
          requested: client.requested[n % client.requested.length],
          kind: 'extradition',
          purpose: 'prosecution',
          subject: { pseudonym: `s-${c}-${n}`, nationalities: ['UA'], ageAtOffence: 30 },
          offences: ['computer-fraud'],
          offenceDate,
          sealed: { identity: `sealed identity of s-${c}-${n}`, statement: 'Fraud by a crew operating across borders.' },
        });
        if (answer.status === 201) bucket.latencies.push(performance.now() - sent);
        else {
          bucket.errors += 1;
          bucket.firstError ||= `${request}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
        }
      } catch (error) {
        bucket.errors += 1;
        bucket.firstError ||= `${request}: ${String(error)}`;
      }
    }
  }),
);
clearInterval(ticker);
// What is left after the last whole minute, unless it is a moment too short to say anything.
if ((performance.now() - bucketStart) / 1000 >= 5 && (bucket.latencies.length > 0 || bucket.errors > 0)) emit();
