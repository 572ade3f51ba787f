/** The median of a list of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/**
 * The median time to an event when some subjects have not had it yet (right-censored): the
 * Kaplan–Meier product-limit estimate (Kaplan & Meier 1958), the first time at which the
 * estimated share still waiting falls to one half or below. A request still pending counts
 * as waiting for as long as it has waited, so silence lengthens the median instead of
 * vanishing from it. Null when half of them have not had the event yet.
 */
export function censoredMedian(events: readonly number[], censored: readonly number[]): number | null {
  const points = [...events.map((time) => ({ time, event: true })), ...censored.map((time) => ({ time, event: false }))].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event));
  let atRisk = points.length;
  let surviving = 1;
  for (let i = 0; i < points.length; ) {
    const time = points[i]!.time;
    let events = 0;
    let leaving = 0;
    // Events before censorings at the same time (the usual convention): a request decided on day 30 and one pending for 30 days both waited 30 days.
    for (; i < points.length && points[i]!.time === time; i++) {
      if (points[i]!.event) events += 1;
      leaving += 1;
    }
    if (events > 0) surviving *= 1 - events / atRisk;
    atRisk -= leaving;
    if (surviving <= 0.5) return time;
  }
  return null;
}
