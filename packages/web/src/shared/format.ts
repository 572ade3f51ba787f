/** Display helpers shared by the console and the transparency page. Times are Unix seconds. */

export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** "in 3 d 4 h" or "5 d 2 h overdue": a countdown precise enough for deadlines counted in days. */
export function countdown(due: number, now: number): string {
  const left = due - now;
  const abs = Math.abs(left);
  const days = Math.floor(abs / 86_400);
  const hours = Math.floor((abs % 86_400) / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const span = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  return left >= 0 ? `in ${span}` : `${span} overdue`;
}

/** "request.consult-reply" → "consult reply". */
export function entryLabel(type: string): string {
  return type.replace(/^(request|prosecution)\./, (_match, group: string) => (group === 'prosecution' ? 'prosecution ' : '')).replaceAll('-', ' ');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
