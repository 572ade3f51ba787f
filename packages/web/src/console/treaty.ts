import { api } from '../shared/http.ts';

/** The parts of the treaty in force that the console's forms offer as choices. */
export interface TreatyInForce {
  readonly id: string;
  readonly version: number;
  readonly parties: readonly { readonly id: string; readonly name: string }[];
  readonly offences: readonly { readonly id: string; readonly title: string; readonly article: string }[];
  readonly grounds: readonly { readonly id: string; readonly title: string; readonly article: string; readonly kind: string }[];
}

export async function loadTreaty<T = TreatyInForce>(): Promise<T | null> {
  const answer = await api<{ treaty: T | null }>('GET', '/api/treaty');
  return answer.treaty;
}
