import { scenario2021, type AnyDomainEntry, type Treaty } from '@evenhand/core';

const DAY = 86_400;

/**
 * A long log for tests and benchmarks: the 2021 scenario's adoption, then its requests and
 * trade again and again. Copy c is the scenario as of `start` + c·400 days (its times and
 * dates move together, so nothing goes back in time), with its request and trade ids
 * suffixed "-c<c>" so that they stay unique.
 */
export function repeatedScenario(treaty: Treaty, start: number, copies: number): AnyDomainEntry[] {
  const out: AnyDomainEntry[] = scenario2021(treaty, start).filter((entry) => entry.type.startsWith('treaty.'));
  for (let c = 0; c < copies; c++) {
    for (const entry of scenario2021(treaty, start + c * 400 * DAY)) {
      if (entry.type.startsWith('treaty.')) continue;
      // The copies concern the same attacks: each incident is registered once, by the first copy (issue 17).
      if (entry.type === 'incident.register' && c > 0) continue;
      out.push(JSON.parse(JSON.stringify(entry).replace(/"(request|follows|trade)":"([^"]+)"/g, `"$1":"$2-c${c}"`)) as AnyDomainEntry);
    }
  }
  return out;
}
