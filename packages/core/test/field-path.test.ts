import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPath } from '../src/index.ts';

// One spelling of a field in every refusal: zod's paths, the strict entry reader's (log
// json-strict.ts), a route schema's and the gateway's input check (server) all go through it.
describe('formatPath', () => {
  it('writes members after dots and array positions in brackets', () => {
    assert.equal(formatPath(['body', 'legs', 0, 'request']), 'body.legs[0].request');
    assert.equal(formatPath(['deadlines', 'decideDays']), 'deadlines.decideDays');
    assert.equal(formatPath([2, 'id']), '[2].id');
  });

  it('quotes a member whose name could be misread as steps of the path, so that no two paths read alike', () => {
    assert.equal(formatPath(['headers', 'content-type']), 'headers.content-type');
    assert.equal(formatPath(['body', 'extra', 'case no']), 'body.extra["case no"]');
    assert.equal(formatPath(['body', 'a.b']), 'body["a.b"]');
    assert.notEqual(formatPath(['body', 'a.b']), formatPath(['body', 'a', 'b']));
    assert.equal(formatPath(['body', '']), 'body[""]');
    assert.equal(formatPath(['body', '"']), 'body["\\""]');
    assert.equal(formatPath(['a.b', 'c']), '["a.b"].c', 'a first name too');
  });

  it('names the whole input when the path is empty', () => {
    assert.equal(formatPath([]), '(document)');
    assert.equal(formatPath([], '(entry)'), '(entry)');
  });
});
