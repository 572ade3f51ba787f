import type { Messages } from '../i18n/en.ts';

/**
 * The fields an official fills in for each act (free text is sealed: the gateway encrypts it
 * to the parties before signing). *Which* acts are offered, and their choices, come from the
 * gateway, which asks the core (issue 11); their words come from the catalogue (t.acts).
 */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  /**
   * `check`: a box the official must tick, not sent (the act itself states it). `files`: files
   * uploaded to the sealed evidence store, sent as the list of their `sha256:` references.
   */
  readonly kind: 'text' | 'textarea' | 'date' | 'number' | 'check' | 'files';
  readonly required?: boolean;
}

/** Public fields beyond the act's choices (a date, a place, a sentence). */
export function actFields(type: string, t: Messages): readonly FieldSpec[] {
  switch (type) {
    case 'request.schedule-surrender':
      return [{ name: 'date', label: t.fields.surrenderDate, kind: 'date', required: true }, { name: 'place', label: t.fields.place, kind: 'text' }];
    case 'prosecution.outcome':
      return [{ name: 'sentenceMonths', label: t.fields.sentenceMonths, kind: 'number' }];
    case 'request.provide':
      return [{ name: 'evidence', label: t.fields.evidenceFiles, kind: 'files', required: true }];
    case 'trade.attest':
      return [{ name: 'checked', label: t.fields.checked, kind: 'check', required: true }];
    default:
      return [];
  }
}

/** The act's name and help in the reader's language (the entry type itself where the catalogue has none). */
export function actText(type: string, t: Messages): { label: string; help: string; sealed?: string } {
  return t.acts[type] ?? { label: type, help: '' };
}
