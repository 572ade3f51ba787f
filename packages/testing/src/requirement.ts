import { it } from 'node:test';
import assert from 'node:assert/strict';

export interface Requirement {
  /** Pass to `describe`/`it` options: a one-line reason to skip, or false to run. */
  readonly skip: string | false;
}

/**
 * Tests that need something outside the project (PostgreSQL, Chromium, Go) skip with a
 * one-line reason when it is absent. Under EVENHAND_REQUIRE_ALL=1 (CI) nothing may skip:
 * the absence becomes a failing test that says what is missing.
 */
export function requirement(what: string, missingReason: string | undefined): Requirement {
  if (missingReason === undefined) return { skip: false };
  const reason = `${what} unavailable: ${missingReason}`;
  if (process.env.EVENHAND_REQUIRE_ALL === '1') {
    it(`${what} is available (EVENHAND_REQUIRE_ALL=1)`, () => assert.fail(reason));
  }
  return { skip: reason };
}
