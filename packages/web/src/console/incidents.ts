import { api } from '../shared/http.ts';
import { useFetch, type Loaded } from '../shared/use-fetch.ts';
import type { IncidentOption } from './types.ts';

/** Pages of the gateway's incident list read at most (200 each): the selector and the filter list them all. */
const MAX_PAGES = 10;

/** Every incident registered in the gateway's verified log (issue 17), in order of registration. */
export async function loadIncidents(): Promise<IncidentOption[]> {
  const out: IncidentOption[] = [];
  for (let after = '', pages = 0; pages < MAX_PAGES; pages++) {
    const page = await api<{ items: IncidentOption[]; next: string | null }>('GET', `/api/incidents${after ? `?after=${after}` : ''}`);
    out.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  return out;
}

/** The incidents, loaded again at each `version` (the live log size, so that a new registration shows). */
export function useIncidents(version: string | number): Loaded<IncidentOption[]> {
  return useFetch(loadIncidents, 'incidents', version)[0];
}
