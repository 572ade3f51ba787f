import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadTreaty } from '@evenhand/core';
import { checkFiling, previewEvaluation, type FileForm } from '../src/console/file-validation.ts';

const loaded = loadTreaty(readFileSync(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url), 'utf8'));
if (!loaded.ok) throw new Error('the 2021 treaty does not load');
const treaty = loaded.value;
const NOW = 1_750_000_000;

/** RU files against the US for a US national: US law does not bar extraditing nationals. */
const form: FileForm = {
  request: 'RU-2026-001', requested: 'US', kind: 'extradition', purpose: 'prosecution', pseudonym: 'subject-001', nationalities: ['US'],
  ageAtOffence: '31', offences: ['illegal-access'], offenceDate: '2025-01-10', sentenceRemainingMonths: '', identity: 'Sealed identity', statement: '', caseReference: '', court: '', warrantDate: '', evidence: [],
};

const nationality = (invocations: Parameters<typeof previewEvaluation>[4]) => {
  const preview = previewEvaluation(form, treaty, 'RU', NOW, invocations);
  assert.ok(preview, 'a complete form is previewed');
  const rule = preview.rules.find((each) => each.rule === 'ground:nationality');
  assert.ok(rule, `the preview lists the nationality ground: ${JSON.stringify(preview.rules.map((each) => each.rule))}`);
  return rule;
};

describe('the filing preview', () => {
  it('accepts the complete form', () => {
    assert.deepEqual(checkFiling(form, treaty, 'RU'), {});
  });

  it('offers the US the nationality ground only once RU has cited it (mirrored, Arrangement art. 5(1))', () => {
    assert.equal(nationality([]).passed, true);
    const mirrored = nationality([{ by: 'RU', against: 'US', ground: 'nationality' }]);
    assert.equal(mirrored.passed, false);
    assert.match(mirrored.detail, /RU has invoked nationality, so it is mirrored/);
    // A citation by the US itself does not make the ground available against RU's request.
    assert.equal(nationality([{ by: 'US', against: 'RU', ground: 'nationality' }]).passed, true);
  });
});
