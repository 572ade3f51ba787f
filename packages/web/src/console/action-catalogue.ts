/**
 * How each act reads in the console: its button, a line of help, and the fields the official
 * fills in (free text is sealed: the gateway encrypts it to the parties before signing).
 * *Which* acts are offered, and their choices (a decision per ground, a milestone, a leg),
 * come from the gateway, which asks the core (issue 11: the console shows only the acts that
 * apply); this table only words them.
 */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  /** `check`: a box the official must tick, not sent (the act itself states it). */
  readonly kind: 'text' | 'textarea' | 'date' | 'number' | 'check';
  readonly required?: boolean;
}

export interface ActText {
  readonly label: string;
  readonly help: string;
  /** Public fields beyond the act's choices (a date, a place, a sentence). */
  readonly fields?: readonly FieldSpec[];
  /** The label of the act's sealed member, when it has one (its name comes from the gateway). */
  readonly sealedLabel?: string;
}

export const ACT_TEXT: Readonly<Record<string, ActText>> = {
  'request.acknowledge': { label: 'Acknowledge receipt', help: 'Stops the acknowledgement clock.' },
  'request.arrest': { label: 'Report the arrest', help: 'Starts the ECE art. 16 clocks; it may move the decision clock to the arrest.' },
  'request.consent': { label: 'Record consent to surrender', help: 'FD 2002/584 art. 17(2): decide within 10 days.' },
  'request.ask-info': { label: 'Ask for information', help: 'ECE art. 13. Where the treaty says so, the decision clock pauses until the answer.', sealedLabel: 'Questions (sealed)' },
  'request.supply-info': { label: 'Answer the request for information', help: 'Restarts the decision clock.', sealedLabel: 'Answer (sealed)' },
  'request.consult': { label: 'Consult the requesting party', help: 'UNTOC art. 16(16): required before refusing on some grounds.', sealedLabel: 'Message (sealed)' },
  'request.consult-reply': { label: 'Reply to the consultation', help: 'Answers every open consultation on the request, which ends its waiting period.', sealedLabel: 'Reply (sealed)' },
  'request.extend': { label: 'Extend the decision period', help: 'FD 2002/584 art. 17(4): once, with reasons, before it ends.', sealedLabel: 'Reasons (sealed)' },
  'request.decide': { label: 'Propose a decision', help: 'Two approvers: another approver confirms it before it is signed.', sealedLabel: 'Reasons (sealed)' },
  'request.assure': { label: 'Give assurances', help: 'ECE art. 11: an assurance can cure a ground such as the death penalty.', sealedLabel: 'Text of the assurance (sealed)' },
  'request.schedule-surrender': { label: 'Schedule the surrender', help: 'FD 2002/584 art. 23; ECE art. 18.', fields: [{ name: 'date', label: 'Surrender date (YYYY-MM-DD)', kind: 'date', required: true }, { name: 'place', label: 'Place', kind: 'text' }] },
  'request.surrender': { label: 'Record the surrender', help: 'The person was handed over.' },
  'request.confirm-receipt': { label: 'Confirm receipt of the person', help: 'Closes the surrender.' },
  'prosecution.milestone': { label: 'Record a prosecution milestone', help: 'Budapest art. 24(6): report progress of the prosecution owed instead of extradition.', sealedLabel: 'Detail (sealed)' },
  'prosecution.outcome': { label: 'Report the prosecution outcome', help: 'The final report of a prosecution instead of extradition.', fields: [{ name: 'sentenceMonths', label: 'Sentence (months, for a conviction)', kind: 'number' }], sealedLabel: 'Detail (sealed)' },
  'request.withdraw': { label: 'Withdraw the request', help: 'Ends the request and its clocks.', sealedLabel: 'Reasons (sealed)' },
  'trade.sign': { label: 'Sign the trade', help: 'Two approvers: another approver confirms the signature. The last signature also commits the trade and locks its legs.', sealedLabel: 'Note (sealed)' },
  'trade.commit': { label: 'Commit the trade', help: 'Every party has signed: committing locks the legs until the trade completes or is called off.' },
  'trade.surrender': { label: 'Record the handover', help: 'This state handed the person of the leg over.', sealedLabel: 'Note (sealed)' },
  'trade.attest': { label: 'Attest the handover', help: 'As coordinator: the person’s identity and health were checked at the handover.', fields: [{ name: 'checked', label: 'Identity and health checked at the handover', kind: 'check', required: true }], sealedLabel: 'Note (sealed)' },
  'trade.confirm-receipt': { label: 'Confirm receipt', help: 'This state received the person of the leg.' },
  'trade.abort': { label: 'Call the trade off', help: 'After the deadline, whoever acts first calls an unfinished trade off; the locks are released.', sealedLabel: 'Reasons (sealed)' },
};

export function actText(type: string): ActText {
  return ACT_TEXT[type] ?? { label: type, help: '' };
}

/** "decide" for "request.decide", "report a prosecution milestone" for its kind: the obligation an act discharges, in words. */
export function obligationText(kind: string): string {
  return kind.replaceAll('-', ' ');
}
