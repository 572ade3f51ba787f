import type { RequestRow } from './types.ts';
import { isData } from './request-kinds.ts';

/** Figures for the reciprocity dashboard, derived from the requests this state is party to. */

const month = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 7);

/** Every month from the first to the last instant given, so gaps show as zero, not as nothing. */
export function monthRange(times: readonly number[]): string[] {
  if (times.length === 0) return [];
  const first = new Date(Math.min(...times) * 1000);
  const last = month(Math.max(...times));
  const out: string[] = [];
  for (let y = first.getUTCFullYear(), m = first.getUTCMonth(); out.length < 600; m++) {
    const label = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
    out.push(label);
    if (label === last) break;
  }
  return out;
}

export function perMonth(requests: readonly RequestRow[], months: readonly string[], direction: 'incoming' | 'outgoing'): number[] {
  return months.map((label) => requests.filter((request) => request.direction === direction && request.kind === 'extradition' && month(request.filedAt) === label).length);
}

/** Days from filing to decision, in buckets of `width` days, for decided requests in one direction. */
export function responseBuckets(requests: readonly RequestRow[], direction: 'incoming' | 'outgoing', edges: readonly number[]): number[] {
  // Persons only: a request for data is decided in hours (issue 17), and would crowd the first bucket.
  const days = requests.filter((request) => request.direction === direction && !isData(request.kind) && request.decidedAt !== null).map((request) => (request.decidedAt! - request.filedAt) / 86_400);
  return edges.map((edge, i) => days.filter((value) => value >= (i === 0 ? -Infinity : edges[i - 1]!) && (i === edges.length - 1 ? true : value < edge)).length);
}

/** Undecided requests in one direction by how long they have waited at `now`, in the same buckets: the overdue ones are among them. */
export function waitingBuckets(requests: readonly RequestRow[], direction: 'incoming' | 'outgoing', edges: readonly number[], now: number): number[] {
  const days = requests.filter((request) => request.direction === direction && !isData(request.kind) && request.decidedAt === null && request.status !== 'withdrawn').map((request) => (now - request.filedAt) / 86_400);
  return edges.map((edge, i) => days.filter((value) => value >= (i === 0 ? -Infinity : edges[i - 1]!) && (i === edges.length - 1 ? true : value < edge)).length);
}

/**
 * The balance of handovers: persons this state received minus persons it surrendered, as a
 * running total by month. A handover is the requested party's `request.surrender` entry or
 * the coordinator's attestation of a trade leg: both set the request's surrenderedAt.
 */
export function balance(requests: readonly RequestRow[], months: readonly string[]): { received: number[]; surrendered: number[]; net: number[] } {
  const received: number[] = [];
  const surrendered: number[] = [];
  const net: number[] = [];
  let inCount = 0;
  let outCount = 0;
  for (const label of months) {
    for (const request of requests) {
      const time = request.surrenderedAt;
      if (time === null || month(time) !== label) continue;
      if (request.direction === 'outgoing') inCount++;
      else outCount++;
    }
    received.push(inCount);
    surrendered.push(outCount);
    net.push(inCount - outCount);
  }
  return { received, surrendered, net };
}
