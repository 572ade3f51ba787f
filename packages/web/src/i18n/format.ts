import type { Messages } from './en.ts';
import type { Lang } from './lang.ts';

/**
 * Dates, times and numbers for people (issue 15): dates in ISO form (YYYY-MM-DD, as the treaty
 * and the forms write them), times in the reader's time zone with UTC beside them, zone
 * names and numbers by `Intl` in the reader's language. Times are Unix seconds.
 */
export interface Format {
  /** "2026-11-30 14:05 MSK (11:05 UTC)", or "2026-11-30 11:05 UTC" where the reader's zone is UTC. */
  dateTime(seconds: number): string;
  /** The ISO date in the reader's time zone. */
  date(seconds: number): string;
  /** "in 3 d 4 h" or "5 d 2 h overdue". */
  countdown(due: number, now: number): string;
  /** Whole days, rounded: "140 days"; under a day, whole hours: "5 h". */
  days(seconds: number): string;
  number(value: number, fractionDigits?: number): string;
}

const pad = (value: number) => String(value).padStart(2, '0');

export function makeFormat(lang: Lang, t: Messages, timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): Format {
  const local = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const zoneName = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: 'short' });
  const numbers = new Map<number, Intl.NumberFormat>();
  const partsOf = (seconds: number) => {
    const parts = Object.fromEntries(local.formatToParts(new Date(seconds * 1000)).map((part) => [part.type, part.value]));
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
  };
  const span = (abs: number) => {
    const days = Math.floor(abs / 86_400);
    const hours = Math.floor((abs % 86_400) / 3600);
    const minutes = Math.floor((abs % 3600) / 60);
    return days > 0 ? `${t.time.days(days)} ${t.time.hours(hours)}` : hours > 0 ? `${t.time.hours(hours)} ${t.time.minutes(minutes)}` : t.time.minutes(minutes);
  };
  return {
    dateTime(seconds) {
      const date = new Date(seconds * 1000);
      const utc = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
      const here = partsOf(seconds);
      if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `${here.date} ${utc}`;
      const zone = zoneName.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
      return `${here.date} ${here.time} ${zone} (${utc})`;
    },
    date: (seconds) => partsOf(seconds).date,
    countdown(due, now) {
      const left = due - now;
      return left >= 0 ? t.time.inSpan(span(left)) : t.time.overdueSpan(span(-left));
    },
    // Under a day, in hours: an emergency request for data is overdue by hours (issue 17).
    days: (seconds) => (seconds < 86_400 ? t.time.hours(Math.max(1, Math.round(seconds / 3_600))) : t.time.dayCount(Math.round(seconds / 86_400))),
    number(value, fractionDigits = 0) {
      let format = numbers.get(fractionDigits);
      if (!format) numbers.set(fractionDigits, (format = new Intl.NumberFormat(lang, { maximumFractionDigits: fractionDigits })));
      return format.format(value);
    },
  };
}
