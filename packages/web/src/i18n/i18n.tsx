import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type Messages } from './en.ts';
import { makeFormat, type Format } from './format.ts';
import { LANGS, type Lang } from './lang.ts';
import { ru } from './ru.ts';

export { LANGS, type Lang };

/**
 * The console's and the public page's two languages (issue 15): one message catalogue each
 * (en.ts, ru.ts, the same keys, checked by the compiler and by a test). The language follows
 * the browser, can be switched, and is remembered in this browser; `<html lang>` follows it.
 */
export const CATALOGUES: Readonly<Record<Lang, Messages>> = { en, ru };

const STORAGE_KEY = 'evenhand.lang';

/** The remembered choice, else the browser's first language we have, else English. */
export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ru') return saved;
  } catch {
    // Storage may be off (a locked-down browser): fall through to the browser's languages.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'en') return base;
  }
  return 'en';
}

interface LangState {
  readonly lang: Lang;
  readonly t: Messages;
  readonly setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: 'en', t: en, setLang: () => undefined });

export function LangProvider({ children }: { readonly children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<LangState>(() => ({
    lang,
    t: CATALOGUES[lang],
    setLang: (next) => {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Not remembered, but switched all the same.
      }
      setLangState(next);
    },
  }), [lang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

/** The catalogue of the language in use. */
export function useT(): Messages {
  return useContext(LangContext).t;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** Each language named in itself, so a reader of either finds the other. */
export function LanguageSwitch() {
  const { lang, t, setLang } = useLang();
  return (
    <div className="lang-switch" role="group" aria-label={t.common.language}>
      {LANGS.map((each) => (
        <button key={each} type="button" className="secondary" lang={each} aria-pressed={each === lang} onClick={() => setLang(each)}>
          {CATALOGUES[each].common.languageName}
        </button>
      ))}
    </div>
  );
}

/** Dates, times and numbers in the reader's language and time zone (format.ts). */
export function useFormat(): Format {
  const { lang, t } = useLang();
  return useMemo(() => makeFormat(lang, t), [lang, t]);
}
