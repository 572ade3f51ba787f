import { createContext, useContext } from 'react';
import { api } from '../shared/http.ts';
import type { Me } from './types.ts';

/** The logged-in official; every screen reads it to show the role and to pick actions. */
export const SessionContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside a session');
  return me;
}

/** A write on the gateway, with the session's CSRF token (the cookie alone is not enough). */
export function post<T>(me: Me, path: string, body: unknown): Promise<T> {
  return api<T>('POST', path, { body, csrf: me.csrfToken });
}
