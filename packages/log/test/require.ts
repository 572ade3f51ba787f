import type { TestContext } from 'node:test';

/**
 * Tests that need something from outside npm (Go, Debian's x/mod source) skip with a
 * one-line reason where it is absent, and fail instead under EVENHAND_REQUIRE_ALL=1, as CI
 * sets it (DEVELOPERS.md "Tests").
 */
export function requireOrSkip(t: TestContext, missing: string | undefined): boolean {
  if (missing === undefined) return true;
  if (process.env.EVENHAND_REQUIRE_ALL === '1') throw new Error(`required by EVENHAND_REQUIRE_ALL=1: ${missing}`);
  t.skip(missing);
  return false;
}
