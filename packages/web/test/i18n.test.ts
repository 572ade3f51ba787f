import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { en } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';
import { makeFormat } from '../src/i18n/format.ts';
import { entryBodySchemas } from '@evenhand/core';

/** Every key path of a catalogue (parts joined by " › ", since keys such as "treaty.propose" hold dots), with the kind of its value. */
const SEP = ' › ';
function shape(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) for (const [inner, kind] of shape(item, path ? `${path}${SEP}${key}` : key)) out.set(inner, kind);
  } else {
    out.set(path, typeof value);
  }
  return out;
}

describe('the message catalogues (issue 15)', () => {
  it('have the same keys, of the same kind, in English and in Russian', () => {
    const english = shape(en);
    const russian = shape(ru);
    assert.deepEqual([...english.keys()].filter((key) => !russian.has(key)), [], 'keys missing in ru.ts');
    assert.deepEqual([...russian.keys()].filter((key) => !english.has(key)), [], 'keys in ru.ts that en.ts lacks');
    for (const [key, kind] of english) assert.equal(russian.get(key), kind, `${key}: a ${kind} in en.ts, a ${russian.get(key)} in ru.ts`);
  });

  it("name every entry a case's timeline can hold, and every act on a case, in both languages: no screen shows an entry type's code", () => {
    const onCases = Object.keys(entryBodySchemas).filter((type) => /^(request|prosecution|trade)\./.test(type));
    // Filing and proposals have screens of their own, and no obligation calls for them in the inbox.
    const ownScreens = new Set(['request.file', 'request.proposal-closed', 'trade.propose']);
    for (const [name, catalogue] of [['en', en], ['ru', ru]] as const) {
      assert.deepEqual(onCases.filter((type) => !catalogue.entries[type]), [], `${name}.entries`);
      assert.deepEqual(onCases.filter((type) => !ownScreens.has(type) && !catalogue.acts[type]), [], `${name}.acts`);
    }
  });

  it('put "a" or "an" before a role in English', () => {
    assert.equal(en.inbox.otherRole('approver'), 'for an approver');
    assert.equal(en.inbox.otherRole('reviewer'), 'for a reviewer');
    assert.match(en.inbox.lede('observer', 'US'), /^What an observer of US owes/);
    assert.match(en.actions.nothingOnTrade('clerk', 'RU'), /^Nothing for a clerk of RU/);
  });

  it('leave no message empty, and translate the words (the same text in both is only a code, a symbol or a name)', () => {
    const english = shape(en);
    const same: string[] = [];
    for (const key of english.keys()) {
      const pick = (catalogue: unknown) => key.split(SEP).reduce<unknown>((value, part) => (value as Record<string, unknown>)[part], catalogue);
      const [a, b] = [pick(en), pick(ru)];
      if (typeof a === 'string') {
        assert.ok(a.trim().length > 0 && String(b).trim().length > 0, `${key} is empty`);
        if (a === b && /[a-z]{3}/.test(a)) same.push(key);
      }
    }
    assert.deepEqual(same, [], 'messages left in English in ru.ts');
  });

  it('pick the Russian plural forms by Intl.PluralRules', () => {
    assert.deepEqual([1, 2, 5, 21, 22, 25, 11].map((n) => ru.time.dayCount(n)), ['1 день', '2 дня', '5 дней', '21 день', '22 дня', '25 дней', '11 дней']);
    assert.equal(en.time.dayCount(1), '1 day');
    assert.equal(en.time.dayCount(140), '140 days');
  });

  it('say when the count of new incoming requests is only a lower bound (issue 14: a visit long ago is not counted whole)', () => {
    assert.deepEqual([en.inbox.newSince(1), en.inbox.newSince(3), en.inbox.newSince(1, true), en.inbox.newSince(2000, true)], ['1 new incoming request since your last visit', '3 new incoming requests since your last visit', 'At least 1 new incoming request since your last visit', 'At least 2000 new incoming requests since your last visit']);
    assert.deepEqual([ru.inbox.newSince(1), ru.inbox.newSince(3), ru.inbox.newSince(21, true), ru.inbox.newSince(2000, true)], ['1 новый входящий запрос с вашего последнего визита', '3 новых входящих запроса с вашего последнего визита', 'Не менее 21 нового входящего запроса с вашего последнего визита', 'Не менее 2000 новых входящих запросов с вашего последнего визита']);
  });
});

describe('dates and numbers (issue 15)', () => {
  const at = Date.UTC(2026, 10, 30, 11, 5) / 1000;
  it('write dates in ISO form, times in the reader’s zone with UTC beside them', () => {
    assert.equal(makeFormat('en', en, 'UTC').dateTime(at), '2026-11-30 11:05 UTC');
    assert.match(makeFormat('ru', ru, 'Europe/Moscow').dateTime(at), /^2026-11-30 14:05 .+ \(11:05 UTC\)$/);
    assert.match(makeFormat('en', en, 'America/New_York').dateTime(at), /^2026-11-30 06:05 EST \(11:05 UTC\)$/);
    assert.equal(makeFormat('en', en, 'Asia/Tokyo').date(Date.UTC(2026, 10, 30, 20, 0) / 1000), '2026-12-01', 'the date in the reader’s zone');
  });

  it('count down in the reader’s language', () => {
    const now = at;
    assert.equal(makeFormat('en', en, 'UTC').countdown(now + 3 * 86_400 + 4 * 3600, now), 'in 3 d 4 h');
    assert.equal(makeFormat('ru', ru, 'UTC').countdown(now - 5 * 86_400 - 2 * 3600, now), 'просрочено на 5 дн. 2 ч');
    assert.equal(makeFormat('ru', ru, 'UTC').number(12345.678, 1), '12\u00a0345,7');
  });
});

/** Attributes whose text a person reads or hears; any other attribute may hold a literal (ids, classes, test ids). */
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'what', 'heading', 'empty', 'legend', 'summary']);

/** Text a reader sees that is written in the source rather than taken from a catalogue. */
function literalTexts(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  // Words, but not a URL path such as /policy, which reads the same in every language.
  const words = { test: (text: string) => /[A-Za-zА-Яа-яЁё]{2,}/.test(text) && !/^\s*\/[\w/.-]*\s*$/.test(text) };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && words.test(node.text)) found.push(`text “${node.text.trim()}”`);
    if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer) && VISIBLE_ATTRIBUTES.has(node.name.getText(source)) && words.test(node.initializer.text)) {
      found.push(`${node.name.getText(source)}="${node.initializer.text}"`);
    }
    // A string literal rendered as a child: {'Refresh'} or {cond ? 'yes' : 'no'}.
    if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteral(node.expression) && words.test(node.expression.text)) found.push(`{'${node.expression.text}'}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map((item) => `${file.replace(/.*\/src\//, 'src/')}: ${item}`);
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsxFiles(path) : path.endsWith('.tsx') ? [path] : [];
  });
}

describe('no visible string bypasses the catalogues', () => {
  it('finds no literal text in any screen of the console or the public page', () => {
    const files = tsxFiles(new URL('../src', import.meta.url).pathname);
    assert.ok(files.length > 20, `the screens were found (${files.length})`);
    assert.deepEqual(files.flatMap(literalTexts), []);
  });

  it('would catch one: the check itself finds a literal in a sample', () => {
    const sample = join(new URL('.', import.meta.url).pathname, 'fixtures', 'literal-sample.tsx');
    assert.deepEqual(literalTexts(sample).map((item) => item.replace(/^.*: /, '')), ['aria-label="Close"', 'text “Save the request”', "{'Refresh'}"]);
  });
});
