import type { Treaty } from './schema.ts';

/** A place where a rule names a party. */
export interface PartyMention {
  readonly path: string;
  readonly party: string;
  readonly text: string;
}

/**
 * Sections that may name parties: who they are, the facts of their law, and bloc
 * membership for the balance rule. Everything else is a rule and must speak of roles only
 * (DESIGN.md "Symmetry is a checked property").
 */
const MAY_NAME_PARTIES = new Set(['id', 'title', 'version', 'parties', 'lawProfiles', 'balance.blocs']);

/** Lists every rule that names a party, by id or by name, as a whole word. */
export function lintPartyNames(treaty: Treaty): PartyMention[] {
  const names = treaty.parties.flatMap((party) => [party.id, party.name].map((text) => ({ party: party.id, text })));
  const mentions: PartyMention[] = [];

  const visit = (value: unknown, path: string): void => {
    if (MAY_NAME_PARTIES.has(path)) return;
    if (typeof value === 'string') {
      for (const name of names) {
        if (containsWord(value, name.text)) mentions.push({ path, party: name.party, text: value });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        for (const name of names) {
          if (key === name.text) mentions.push({ path: childPath, party: name.party, text: key });
        }
        visit(item, childPath);
      }
    }
  };
  visit(treaty, '');
  return mentions;
}

function containsWord(text: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + word.length] ?? '';
    if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}
