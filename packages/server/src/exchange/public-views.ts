import type { RequestSummary } from '@evenhand/core';

/**
 * What the public may see of a request: roles, offence categories, dates, state and the
 * treaty's evaluation. Rules read only public fields and sealed members never reach the
 * core state, so this only drops the officials' pseudonyms; it exists so that a new field
 * in the summary is not published by accident.
 */
export function publicRequest(summary: RequestSummary) {
  const { view } = summary;
  return {
    id: summary.id,
    subject: summary.pseudonym,
    requesting: view.requesting,
    requested: view.requested,
    kind: view.kind,
    purpose: view.purpose,
    offences: view.offences,
    filedAt: view.filedAt,
    status: summary.status,
    decision: summary.decision && { kind: summary.decision.kind, at: summary.decision.at, ground: summary.decision.ground, assurances: summary.decision.assurances, onReciprocity: summary.decision.onReciprocity },
    history: summary.history,
    evaluation: summary.evaluation && {
      extraditable: summary.evaluation.extraditable,
      mandatoryRefusals: summary.evaluation.mandatoryRefusals,
      availableGrounds: summary.evaluation.availableGrounds,
      mirroredGrounds: summary.evaluation.mirroredGrounds,
      rules: summary.evaluation.rules,
    },
  };
}
