import { useEffect, useState } from 'react';

/**
 * Hash routes (#/requests/US-2021-001, #/requests?q=ransom&owed=us): every screen, with its
 * filters and page, has a URL an official can bookmark or paste (issue 15), and the gateway
 * needs no fallback route for client paths, since the server only ever sees `/`.
 */
function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function split(hash: string): { path: string[]; query: URLSearchParams } {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function useRoute(): string[] {
  return split(useHash()).path;
}

/** The route's query (filters, sort, page): part of the URL, so a filtered list can be shared. */
export function useQuery(): URLSearchParams {
  return split(useHash()).query;
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

/** The current route with `changes` to its query (an empty value removes the key), replacing the history entry. */
export function setQuery(changes: Record<string, string>): void {
  const { path, query } = split(window.location.hash);
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') query.delete(key);
    else query.set(key, value);
  }
  const text = query.toString();
  window.history.replaceState(null, '', `${href(...path)}${text ? `?${text}` : ''}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function go(...parts: string[]): void {
  window.location.hash = href(...parts);
}
