/** "5 дней", "2 дня", "1 день": a Russian count with its plural form by Intl.PluralRules('ru'). */
const rules = new Intl.PluralRules('ru');

export const pluralRu = (count: number, one: string, few: string, many: string) => {
  const form = rules.select(count);
  return `${count} ${form === 'one' ? one : form === 'few' ? few : many}`;
};
