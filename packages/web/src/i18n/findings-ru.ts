import type { FactTest, Finding, FindingNames } from '@evenhand/core/rules';
import { pluralRu as count } from './plural-ru.ts';

/**
 * The Russian sentences for what a treaty rule found (core treaty/findings.ts), the
 * counterpart of core's `findingInEnglish`, which the English catalogue uses. Months, years and
 * days take their plural form as the catalogue's counts do (plural-ru.ts).
 */
const months = (n: number) => count(n, 'месяц', 'месяца', 'месяцев');
const years = (n: number) => count(n, 'год', 'года', 'лет');
const and = (items: readonly string[]) => items.join(' и ');

const FACTS_IN_RUSSIAN: Readonly<Record<FactTest, readonly [holds: string, not: string]>> = {
  'final-judgment': ['по тем же деяниям вынесен окончательный приговор', 'окончательного приговора по тем же деяниям не зафиксировано'],
  amnesty: ['преступление подпадает под амнистию в запрашиваемой стороне', 'амнистии не зафиксировано'],
  'political-offence': ['преступление рассматривается как политическое', 'преступление не рассматривается как политическое'],
  discrimination: ['есть основания полагать, что запрос направлен на преследование', 'риска преследования не зафиксировано'],
  'military-offence': ['преступление является чисто воинским', 'преступление не является воинским'],
  'fiscal-offence': ['преступление является налоговым', 'преступление не является налоговым'],
  'pending-proceedings': ['в запрашиваемой стороне ведётся производство по тем же деяниям', 'производства в запрашиваемой стороне не ведётся'],
  'essential-interests': [
    'запрашиваемая сторона установила, что исполнение запроса нанесёт ущерб её суверенитету, безопасности, публичному порядку или иным существенным интересам',
    'ущерба существенным интересам запрашиваемой стороны не зафиксировано',
  ],
};

/** One finding as a Russian clause. */
export function findingInRussian(finding: Finding, names: FindingNames): string {
  const offences = (ids: readonly string[]) => ids.map(names.offence).join(', ');
  switch (finding.code) {
    case 'offence-unknown':
      return `«${finding.offence}» не является категорией преступлений договора`;
    case 'dual-criminality':
      return finding.missing.length === 0
        ? `${names.offence(finding.offence)}: преступление по закону обеих сторон (${and(finding.parties)})`
        : `${names.offence(finding.offence)}: не преступление по закону ${and(finding.missing)}`;
    case 'sentence-remaining':
      return `осталось отбыть ${months(finding.remainingMonths)}; минимум — ${months(finding.minimumMonths)}`;
    case 'penalty-threshold': {
      const described = finding.penalties.map(({ party, months: max }) => `${party} — ${max === undefined ? 'нет' : months(max)}`);
      return `максимальное наказание: ${described.join(', ')}; у каждой стороны оно должно быть не менее ${months(finding.minimumMonths)}`;
    }
    case 'extraditable':
      return finding.holds ? 'хотя бы одно преступление влечёт выдачу' : 'ни одно преступление в запросе не влечёт выдачу, поэтому отказ обязателен';
    case 'fact':
      return FACTS_IN_RUSSIAN[finding.test][finding.holds ? 0 : 1];
    case 'offence-date-invalid':
      return `дата преступления «${finding.date}» не является датой`;
    case 'time-barred':
      return `истёк срок давности: ${finding.barred.map(({ offence, party, years: limit }) => `${names.offence(offence)} по закону ${party} (${years(limit)})`).join('; ')}`;
    case 'within-limitation':
      return `с момента преступления прошло ${finding.elapsedYears.toLocaleString('ru', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} г., в пределах всех сроков давности`;
    case 'under-age':
      return `лицу было ${years(finding.age)}, ${finding.holds ? 'меньше' : 'не меньше'} возраста уголовной ответственности запрашиваемой стороны (${finding.minimum})`;
    case 'national-of-requested':
      return `лицо ${finding.holds ? '' : 'не '}является гражданином запрашиваемой стороны ${finding.party}`;
    case 'death-penalty':
      return finding.offences.length > 0 ? `закон запрашивающей стороны предусматривает смертную казнь за: ${offences(finding.offences)}` : 'закон запрашивающей стороны не предусматривает смертную казнь за эти преступления';
    case 'reservation-excludes':
      return `но оговорка не распространяется на ${finding.party}`;
    case 'law-bars-nationals':
      return finding.bars ? `${finding.party}: закон запрещает выдачу своих граждан (${finding.source ?? ''})` : `но ${finding.party}: закон не запрещает выдачу своих граждан`;
    case 'no-law-fact':
      return `${finding.party}: профиль законодательства не ограничивает это основание`;
    case 'mirrored': {
      const against = finding.against === undefined ? '' : ` в отношении ${finding.against}`;
      return `закон ${finding.requested} этого не запрещает, но ${finding.requesting} ссылалась на основание «${names.ground(finding.ground)}»${against}, поэтому оно применяется зеркально (${finding.article})`;
    }
    case 'assurance-required':
      return `удовлетворение требует гарантии «${finding.assurance}»`;
    case 'kind-not-provided':
      return `договор не предусматривает запросов вида «${names.kind(finding.kind)}»`;
    case 'consult-before-refusal':
      return `прежде чем отказать по основанию «${names.ground(finding.ground)}», проконсультируйтесь с запрашивающей стороной и предоставьте ей ${count(finding.days, 'день', 'дня', 'дней')}`;
    case 'prosecute-instead':
      return `отказ по основанию «${names.ground(finding.ground)}» обязывает передать дело для уголовного преследования и отчитываться не реже чем раз в ${count(finding.reportEveryDays, 'день', 'дня', 'дней')}`;
    case 'dual-criminality-not-required':
      return `двойная преступность не является условием для запроса вида «${names.kind(finding.kind)}»`;
    case 'data-dual-criminality':
      return finding.met.length > 0
        ? `${offences(finding.met)}: преступление по закону обеих сторон (${and(finding.parties)})`
        : `ни одно из деяний (${offences(finding.offences)}) не является преступлением по закону обеих сторон (${and(finding.parties)}), поэтому в запросе можно отказать по основанию «${names.ground(finding.ground)}»`;
  }
}

/** A rule's findings as one Russian sentence. */
export function detailInRussian(findings: readonly Finding[], names: FindingNames): string {
  return findings.map((finding) => findingInRussian(finding, names)).join('; ');
}
