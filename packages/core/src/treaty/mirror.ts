import type { Treaty } from './schema.ts';

/**
 * Swaps two party ids everywhere in a value: in string values and in object keys. Used to
 * state the symmetry law: evaluate(mirrorLawProfiles(treaty), mirror(request),
 * mirror(history)) must equal mirror(evaluate(treaty, request, history)).
 *
 * Only whole strings equal to an id are swapped, so prose that mentions a party by name
 * changes too only where it is exactly the id; explanations are built from the ids.
 */
export function mirrorParties<T>(value: T, a: string, b: string): T {
  return swap(value, a, b) as T;
}

function swapString(text: string, a: string, b: string): string {
  if (text === a) return b;
  if (text === b) return a;
  if (!text.includes(a) && !text.includes(b)) return text;
  // Explanations embed ids as whole words ("a national of the requested party RU"), so the
  // mirror of an explanation swaps those words too.
  const word = new RegExp(`\\b(${escape(a)}|${escape(b)})\\b`, 'g');
  return text.replace(word, (match) => (match === a ? b : a));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function swap(value: unknown, a: string, b: string): unknown {
  if (typeof value === 'string') return swapString(value, a, b);
  if (Array.isArray(value)) return value.map((item) => swap(item, a, b));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[swapString(key, a, b)] = swap(item, a, b);
    return out;
  }
  return value;
}

/**
 * Swaps the two parties' law profiles and nothing else. The rules stay as written, so a
 * rule that favours one named party shows up as an outcome that does not mirror.
 */
export function mirrorLawProfiles(treaty: Treaty, a: string, b: string): Treaty {
  const profiles = { ...treaty.lawProfiles };
  const profileA = profiles[a];
  const profileB = profiles[b];
  if (profileB) profiles[a] = profileB;
  else delete profiles[a];
  if (profileA) profiles[b] = profileA;
  else delete profiles[b];
  return { ...treaty, lawProfiles: profiles };
}
