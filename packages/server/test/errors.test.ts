import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HTTP_STATUS, statusOf } from '../src/errors.ts';

describe('the code-to-status table', () => {
  it('maps known codes, and an unknown or inherited name to 422 rather than a crash', () => {
    assert.equal(statusOf('ENTRY_REPLAYED'), 409);
    assert.equal(statusOf('REQUEST_UNKNOWN'), 404);
    for (const name of ['constructor', '__proto__', 'toString', 'SOMETHING_NEW']) assert.equal(statusOf(name), 422, name);
  });

  it('gives every code a 4xx or 5xx status', () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) assert.ok(status >= 400 && status < 600, code);
  });
});
