import type { Role } from './types.ts';

/**
 * The actions on a request, with the roles allowed to take them and the side of the request
 * they belong to (mirroring packages/server gateway/actions.ts and core's requestRoles). The
 * gateway enforces both; the console uses them only to offer each official the buttons that
 * can succeed. Sealed members (questions, reasons, message…) are sent in plaintext at the
 * top level, and the gateway encrypts them to the parties before signing.
 */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'textarea' | 'date' | 'number' | 'select' | 'grounds';
  readonly options?: readonly string[];
  readonly required?: boolean;
}

export interface ActionSpec {
  readonly action: string;
  readonly label: string;
  readonly side: 'requesting' | 'requested';
  readonly roles: readonly Role[];
  readonly fields: readonly FieldSpec[];
  readonly help: string;
}

export const ACTIONS: readonly ActionSpec[] = [
  { action: 'acknowledge', label: 'Acknowledge receipt', side: 'requested', roles: ['reviewer'], fields: [], help: 'Starts nothing new; stops the acknowledgement clock.' },
  { action: 'ask-info', label: 'Ask for information', side: 'requested', roles: ['reviewer'], fields: [{ name: 'questions', label: 'Questions (sealed)', kind: 'textarea', required: true }], help: 'ECE art. 13: the decision clock pauses until the answer.' },
  { action: 'consult', label: 'Consult the requesting party', side: 'requested', roles: ['reviewer', 'approver'], fields: [{ name: 'ground', label: 'Ground to consult on', kind: 'grounds', required: true }, { name: 'message', label: 'Message (sealed)', kind: 'textarea' }], help: 'UNTOC art. 16(16): required before refusing on some grounds.' },
  { action: 'extend', label: 'Extend the decision period', side: 'requested', roles: ['approver'], fields: [{ name: 'reasons', label: 'Reasons (sealed)', kind: 'textarea', required: true }], help: 'FD 2002/584 art. 17(4): once, with reasons.' },
  { action: 'arrest', label: 'Report the arrest', side: 'requested', roles: ['reviewer'], fields: [], help: 'Starts the ECE art. 16 clocks.' },
  { action: 'consent', label: 'Record consent to surrender', side: 'requested', roles: ['reviewer'], fields: [], help: 'FD 2002/584 art. 17(2): decide within 10 days.' },
  { action: 'schedule-surrender', label: 'Schedule the surrender', side: 'requested', roles: ['reviewer'], fields: [{ name: 'date', label: 'Surrender date', kind: 'date', required: true }, { name: 'place', label: 'Place', kind: 'text' }], help: 'ECE art. 18.' },
  { action: 'surrender', label: 'Record the surrender', side: 'requested', roles: ['reviewer'], fields: [], help: 'The person was handed over.' },
  { action: 'prosecution-milestone', label: 'Record a prosecution milestone', side: 'requested', roles: ['reviewer'], fields: [{ name: 'milestone', label: 'Milestone', kind: 'select', options: ['opened', 'charged', 'tried', 'verdict', 'sentence', 'progress'], required: true }, { name: 'detail', label: 'Detail (sealed)', kind: 'textarea' }], help: 'Budapest art. 24(6): report progress of the prosecution owed instead of extradition.' },
  { action: 'prosecution-outcome', label: 'Report the prosecution outcome', side: 'requested', roles: ['reviewer'], fields: [{ name: 'outcome', label: 'Outcome', kind: 'select', options: ['convicted', 'acquitted', 'discontinued'], required: true }, { name: 'sentenceMonths', label: 'Sentence (months)', kind: 'number' }, { name: 'detail', label: 'Detail (sealed)', kind: 'textarea' }], help: 'The final report of a prosecution instead of extradition.' },
  { action: 'supply-info', label: 'Answer the request for information', side: 'requesting', roles: ['clerk'], fields: [{ name: 'answer', label: 'Answer (sealed)', kind: 'textarea', required: true }], help: 'Resumes the decision clock.' },
  { action: 'consult-reply', label: 'Reply to the consultation', side: 'requesting', roles: ['clerk', 'approver'], fields: [{ name: 'message', label: 'Reply (sealed)', kind: 'textarea', required: true }], help: 'Answers every open consultation on the request.' },
  { action: 'assure', label: 'Give assurances', side: 'requesting', roles: ['approver'], fields: [{ name: 'assurances', label: 'Assurances', kind: 'grounds', required: true }, { name: 'text', label: 'Text of the assurance (sealed)', kind: 'textarea' }], help: 'ECE art. 11: an assurance can cure a ground such as the death penalty.' },
  { action: 'confirm-receipt', label: 'Confirm receipt of the person', side: 'requesting', roles: ['clerk', 'reviewer'], fields: [], help: 'Closes the surrender.' },
  { action: 'withdraw', label: 'Withdraw the request', side: 'requesting', roles: ['approver'], fields: [{ name: 'reasons', label: 'Reasons (sealed)', kind: 'textarea', required: true }], help: 'Ends the request and its clocks.' },
];

export function actionsFor(role: Role, side: 'requesting' | 'requested'): ActionSpec[] {
  return ACTIONS.filter((spec) => spec.side === side && spec.roles.includes(role));
}
