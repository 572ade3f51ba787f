import { useT } from '../i18n/i18n.tsx';
import type { Messages } from '../i18n/en.ts';
import type { Titles } from '../i18n/titles.ts';
import { useTitles } from './treaty-context.tsx';
import type { Evaluation, RequestDetail } from './types.ts';
import { isData } from './request-kinds.ts';

/** "ground: National of the requested party", "dual criminality: Illegal access": a rule id (core evaluate) in words. */
export function ruleText(t: Messages, titles: Titles, rule: string): string {
  const [kind = rule, subject = ''] = rule.split(':');
  const title = !subject ? '' : kind === 'ground' || kind === 'consultation' || kind === 'extradite-or-prosecute' ? titles.ground(subject) : titles.offence(subject);
  return t.evaluation.rule(t.evaluation.ruleKinds[kind] ?? kind, title);
}

/** The treaty's evaluation rule by rule, each with the article it comes from. */
export function EvaluationSection({ evaluation }: { readonly evaluation: Evaluation | null }) {
  const t = useT();
  const titles = useTitles();
  const grounds = (ids: readonly string[]) => ids.map((id) => titles.ground(id)).join(', ');
  return (
    <section aria-labelledby="evaluation-heading">
      <h3 id="evaluation-heading">{t.evaluation.heading}</h3>
      {evaluation === null ? (
        <p>{t.evaluation.none}</p>
      ) : (
        <>
          <p>
            {isData(evaluation.kind) ? t.evaluation.forData : evaluation.extraditable ? t.evaluation.extraditable : t.evaluation.notExtraditable}
            {evaluation.mandatoryRefusals.length > 0 ? t.evaluation.mandatory(grounds(evaluation.mandatoryRefusals)) : ''}
            {evaluation.availableGrounds.length > 0 ? t.evaluation.optional(grounds(evaluation.availableGrounds)) : ''}
            {evaluation.mirroredGrounds.length > 0 ? t.evaluation.mirrored(grounds(evaluation.mirroredGrounds)) : ''}
          </p>
          {evaluation.consultation.length > 0 ? (
            <p>{t.evaluation.consultBefore(evaluation.consultation.map((entry) => t.evaluation.consultItem(titles.ground(entry.ground), entry.days, entry.article)).join('; '))}</p>
          ) : null}
          <RuleList rules={evaluation.rules} />
        </>
      )}
    </section>
  );
}

export function RuleList({ rules }: { readonly rules: Evaluation['rules'] }) {
  const t = useT();
  const titles = useTitles();
  const names = { offence: titles.offence, ground: titles.ground, kind: (id: string) => t.kinds[id] ?? id };
  return (
    <ol data-testid="rules">
      {rules.map((rule, i) => (
        <li key={`${rule.rule}-${i}`}>
          <span className={rule.passed ? 'rule-pass' : 'rule-fail'}>{rule.passed ? t.evaluation.passes : t.evaluation.applies}</span> <strong>{ruleText(t, titles, rule.rule)}</strong> ({rule.article}): {t.evaluation.findings(rule.findings, names)}
        </li>
      ))}
    </ol>
  );
}

/** "With the roles reversed, this would be …" (DESIGN.md "Symmetry is a checked property"). */
export function MirrorSection({ request }: { readonly request: RequestDetail }) {
  const t = useT();
  const titles = useTitles();
  const mirror = request.mirror;
  if (!mirror) return null;
  const grounds = (ids: readonly string[]) => ids.map((id) => titles.ground(id)).join(', ');
  const outcome = !mirror.extraditable || mirror.mandatoryRefusals.length > 0
    ? t.evaluation.mirrorRefused(grounds(mirror.mandatoryRefusals) || t.evaluation.mirrorNotExtraditable)
    : mirror.availableGrounds.length > 0
      ? (isData(request.kind) ? t.evaluation.mirrorOptionalData : t.evaluation.mirrorOptional)(grounds(mirror.availableGrounds), mirror.requested)
      : isData(request.kind) ? t.evaluation.mirrorClearData : t.evaluation.mirrorClear;
  return (
    <section aria-labelledby="mirror-heading">
      <h3 id="mirror-heading">{t.evaluation.mirrorHeading}</h3>
      <p data-testid="mirror">
        {t.evaluation.mirrorText(mirror.requesting, mirror.requested, outcome)}{' '}
        {mirror.symmetric ? t.evaluation.symmetric : t.evaluation.asymmetric}
      </p>
    </section>
  );
}
