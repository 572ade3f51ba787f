import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useLang } from '../i18n/i18n.tsx';
import { titlesOf, type Titles } from '../i18n/titles.ts';
import { useFetch } from '../shared/use-fetch.ts';
import { loadTreaty, type TreatyInForce } from './treaty.ts';

const TreatyContext = createContext<TreatyInForce | null>(null);

/** The treaty in force, loaded once per session: its titles name offences and grounds on every screen. */
export function TreatyProvider({ children }: { readonly children: ReactNode }) {
  const [loaded] = useFetch(() => loadTreaty(), 'treaty-context');
  return <TreatyContext.Provider value={loaded.state === 'ready' ? loaded.value : null}>{children}</TreatyContext.Provider>;
}

export function useTreaty(): TreatyInForce | null {
  return useContext(TreatyContext);
}

/** Offence and ground titles in the reader's language (the id itself until the treaty is loaded). */
export function useTitles(): Titles {
  const treaty = useTreaty();
  const { lang } = useLang();
  return useMemo(() => titlesOf(treaty, lang), [treaty, lang]);
}
