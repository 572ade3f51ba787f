/** The two languages of the console and the public page (issue 15). */
export type Lang = 'en' | 'ru';

export const LANGS: readonly Lang[] = ['en', 'ru'];
