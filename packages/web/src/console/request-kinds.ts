import { EVIDENCE_KINDS } from './core-rules.ts';

/** Whether a request asks for data (core evidence/kinds.ts): its figures and verdicts are told apart from those for persons. */
export function isData(kind: string | undefined): boolean {
  return (EVIDENCE_KINDS as readonly string[]).includes(kind ?? '');
}
