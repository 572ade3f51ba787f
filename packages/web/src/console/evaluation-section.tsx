import type { Evaluation, RequestDetail } from './types.ts';

/** The treaty's evaluation rule by rule, each with the article it comes from. */
export function EvaluationSection({ evaluation }: { readonly evaluation: Evaluation | null }) {
  return (
    <section aria-labelledby="evaluation-heading">
      <h3 id="evaluation-heading">Treaty evaluation</h3>
      {evaluation === null ? (
        <p>No treaty in force to evaluate against.</p>
      ) : (
        <>
          <p>
            {evaluation.extraditable ? 'Extraditable under the treaty.' : 'Not extraditable under the treaty.'}
            {evaluation.mandatoryRefusals.length > 0 ? ` Mandatory refusal: ${evaluation.mandatoryRefusals.join(', ')}.` : ''}
            {evaluation.availableGrounds.length > 0 ? ` Optional grounds available: ${evaluation.availableGrounds.join(', ')}.` : ''}
            {evaluation.mirroredGrounds.length > 0 ? ` Of these, mirrored because the requesting party invoked them first: ${evaluation.mirroredGrounds.join(', ')}.` : ''}
          </p>
          {evaluation.consultation.length > 0 ? (
            <p>Before refusing on {evaluation.consultation.map((entry) => `${entry.ground} (consult and allow ${entry.days} days, ${entry.article})`).join('; ')}.</p>
          ) : null}
          <RuleList rules={evaluation.rules} />
        </>
      )}
    </section>
  );
}

export function RuleList({ rules }: { readonly rules: Evaluation['rules'] }) {
  return (
    <ol data-testid="rules">
      {rules.map((rule, i) => (
        <li key={`${rule.rule}-${i}`}>
          <span className={rule.passed ? 'rule-pass' : 'rule-fail'}>{rule.passed ? '✓ passes' : '✗ applies'}</span> <strong>{rule.rule}</strong> ({rule.article}): {rule.detail}
        </li>
      ))}
    </ol>
  );
}

/** "With the roles reversed, this would be …" (DESIGN.md "Symmetry is a checked property"). */
export function MirrorSection({ request }: { readonly request: RequestDetail }) {
  const mirror = request.mirror;
  if (!mirror) return null;
  const outcome = !mirror.extraditable || mirror.mandatoryRefusals.length > 0
    ? `refused: ${mirror.mandatoryRefusals.join(', ') || 'not extraditable'}`
    : mirror.availableGrounds.length > 0
      ? `extraditable, with ${mirror.availableGrounds.join(', ')} open to ${mirror.requested} as optional grounds`
      : 'extraditable, with no ground to refuse';
  return (
    <section aria-labelledby="mirror-heading">
      <h3 id="mirror-heading">Mirror verdict</h3>
      <p data-testid="mirror">
        With the roles reversed ({mirror.requesting} asking {mirror.requested} for the same person and acts, under each state's own law), this would be {outcome}.{' '}
        {mirror.symmetric ? 'The outcome mirrors back exactly: the treaty treats both sides alike here.' : 'The outcome does not mirror back exactly: the states’ laws differ on this request.'}
      </p>
    </section>
  );
}
