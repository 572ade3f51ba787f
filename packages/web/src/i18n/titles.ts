import type { Lang } from './lang.ts';

/** A treaty item with its English title and, where the treaty gives one, its Russian title. */
export interface Titled {
  readonly id: string;
  readonly title: string;
  readonly titleRu?: string;
}

/** The treaty's title for `id` in `lang` (English where the treaty has no Russian one), or the id itself. */
export function titleOf(items: readonly Titled[] | undefined, id: string, lang: Lang): string {
  const item = items?.find((each) => each.id === id) ?? RULE_GROUNDS.find((each) => each.id === id);
  if (!item) return id;
  return lang === 'ru' && item.titleRu ? item.titleRu : item.title;
}

/**
 * Refusals the core derives from a rule rather than from a ground of the treaty (core
 * evaluate.ts NOT_EXTRADITABLE, evidence/kinds.ts NO_DUAL_CRIMINALITY): titled here, since no
 * treaty names them.
 */
const RULE_GROUNDS: readonly Titled[] = [
  { id: 'not-extraditable', title: 'Not extraditable (ECE art. 2)', titleRu: 'Не подлежит выдаче (ЕКВ, ст. 2)' },
  { id: 'no-dual-criminality', title: 'No dual criminality (Budapest art. 25(5))', titleRu: 'Отсутствие двойной преступности (Будапештская конвенция, ст. 25(5))' },
];

/** The parts of a treaty that carry titles. */
export interface TitledTreaty extends Titled {
  readonly offences: readonly Titled[];
  readonly grounds: readonly Titled[];
}

/** Titles of offences and grounds in the reader's language, from the treaty in force. */
export interface Titles {
  offence(id: string): string;
  ground(id: string): string;
  treaty(): string;
}

export function titlesOf(treaty: TitledTreaty | null | undefined, lang: Lang): Titles {
  return {
    offence: (id) => titleOf(treaty?.offences, id, lang),
    ground: (id) => titleOf(treaty?.grounds, id, lang),
    treaty: () => (treaty ? (lang === 'ru' && treaty.titleRu ? treaty.titleRu : treaty.title) : ''),
  };
}
