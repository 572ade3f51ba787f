import type { GroundInvocation } from './core-rules.ts';
import { api } from '../shared/http.ts';

/** The parts of the treaty in force that the console's forms offer as choices. */
export interface TreatyInForce {
  readonly id: string;
  readonly title: string;
  readonly titleRu?: string;
  readonly version: number;
  readonly parties: readonly { readonly id: string; readonly name: string }[];
  readonly offences: readonly { readonly id: string; readonly title: string; readonly titleRu?: string; readonly article: string }[];
  readonly grounds: readonly { readonly id: string; readonly title: string; readonly titleRu?: string; readonly article: string; readonly kind: string }[];
  readonly deadlines: { readonly decideDays: number };
}

export async function loadTreaty<T = TreatyInForce>(): Promise<T | null> {
  return (await loadTreatyContext<T>()).treaty;
}

/** The treaty in force and the grounds cited so far, which mirrored grounds depend on. */
export async function loadTreatyContext<T = TreatyInForce>(): Promise<{ treaty: T | null; invocations: GroundInvocation[] }> {
  return api<{ treaty: T | null; invocations: GroundInvocation[] }>('GET', '/api/treaty');
}
