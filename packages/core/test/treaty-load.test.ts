import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadTreaty } from '../src/index.ts';
import { TREATY_PATH, treaty2021 } from './fixtures.ts';

function issuesOf(text: string) {
  const result = loadTreaty(text);
  assert.equal(result.ok, false, 'the document is rejected');
  if (result.ok) throw new Error('unreachable');
  return result.error;
}

describe('loadTreaty', () => {
  it('loads the 2021 treaty with every section', () => {
    const treaty = treaty2021();
    assert.equal(treaty.id, 'us-ru-2021');
    assert.deepEqual(treaty.parties.map((party) => party.id), ['US', 'RU']);
    assert.equal(treaty.offences.length, 12);
    assert.equal(treaty.lawProfiles.RU!.extraditesNationals, false);
    assert.match(treaty.lawProfiles.RU!.extraditesNationalsSource, /art\. 61/);
    assert.match(treaty.lawProfiles.US!.offences['illegal-access']!.source, /1030/);
    assert.match(treaty.lawProfiles.US!.offences['ransomware-extortion']!.source, /1030\(a\)\(7\)/);
  });

  it('names the path, what was expected and what was found', () => {
    const text = readFileSync(TREATY_PATH, 'utf8').replace('decideDays: 60', 'decideDays: sixty');
    const error = issuesOf(text);
    assert.equal(error.code, 'TREATY_INVALID');
    assert.deepEqual(error.issues, [{ path: 'deadlines.decideDays', message: 'expected number, found string "sixty"' }]);
  });

  it('collects every problem in the document, not just the first', () => {
    const treaty = structuredClone(treaty2021()) as Record<string, unknown> & ReturnType<typeof treaty2021>;
    (treaty.deadlines as Record<string, unknown>).acknowledgeDays = -1;
    (treaty.extraditability as Record<string, unknown>).minimumMaxPenaltyMonths = 'twelve';
    (treaty as Record<string, unknown>).surprise = true;
    const error = issuesOf(stringify(treaty));
    const paths = error.issues.map((issue) => issue.path).sort();
    assert.deepEqual(paths, ['(document)', 'deadlines.acknowledgeDays', 'extraditability.minimumMaxPenaltyMonths']);
    assert.match(error.issues.find((issue) => issue.path === '(document)')!.message, /unknown field "surprise"/);
  });

  it('checks cross-references: grounds, offences and law profiles', () => {
    const treaty = structuredClone(treaty2021());
    treaty.consultation.push({ ground: 'no-such-ground', days: 5, article: 'Arrangement art. 9' });
    delete treaty.lawProfiles.US;
    treaty.lawProfiles.RU!.offences['made-up'] = { maxPenaltyMonths: 12, deathPenalty: false, source: 'nowhere' };
    const error = issuesOf(stringify(treaty));
    assert.deepEqual(error.issues.map((issue) => issue.path).sort(), ['consultation[2].ground', 'lawProfiles.RU.offences.made-up', 'lawProfiles.US']);
  });

  it('rejects YAML that does not parse, and duplicate keys', () => {
    assert.equal(issuesOf('id: [unclosed').code, 'TREATY_SYNTAX');
    const error = issuesOf(readFileSync(TREATY_PATH, 'utf8').replace('version: 1', 'version: 1\nversion: 2'));
    assert.equal(error.code, 'TREATY_SYNTAX');
    assert.match(error.issues[0]!.message, /unique/i);
  });

  it('rejects a document that is not an object', () => {
    assert.deepEqual(issuesOf('42').issues, [{ path: '(document)', message: 'expected object, found number 42' }]);
  });
});

describe('loadTreaty reports schema and reference problems in one run', () => {
  it('names a bad type and an unknown ground together', () => {
    const treaty = structuredClone(treaty2021()) as unknown as Record<string, unknown>;
    (treaty.deadlines as Record<string, unknown>).decideDays = 'sixty';
    (treaty.consultation as { ground: string }[])[0]!.ground = 'no-such-ground';
    const result = loadTreaty(stringify(treaty));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.error.issues.map((issue) => issue.path), ['deadlines.decideDays', 'consultation[0].ground']);
  });
});
