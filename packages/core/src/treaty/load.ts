import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { treatySchema, type Treaty } from './schema.ts';
import { checkReferences } from './references.ts';
import { formatPath } from '../field-path.ts';

/** One problem in a treaty document: where, what was expected, and what was found. */
export interface TreatyIssue {
  readonly path: string;
  readonly message: string;
}

export interface TreatyError {
  readonly code: 'TREATY_SYNTAX' | 'TREATY_INVALID';
  readonly issues: readonly TreatyIssue[];
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

/** Turns zod issues into messages that name the path, the rule and what was found. */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): TreatyIssue[] {
  return issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}` };
    }
    const found = 'input' in issue ? `, found ${describeValue(issue.input)}` : '';
    const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
    return { path, message: `${expected}${found}` };
  });
}

/**
 * `schema.safeParse(value)`, with each issue carrying the input it found (for the "found …"
 * of `issuesFromZod`) when it fails. zod's `reportInput` leaves its compiled fast path for
 * objects, which made a valid body's check about twice as slow (2.7 against 5 µs for a
 * filing, issue 14), so a valid value is checked once without it and only a refused one again.
 */
export function safeParseReporting<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  const quick = schema.safeParse(value);
  return quick.success ? quick : schema.safeParse(value, { reportInput: true });
}

/**
 * Parses and validates a treaty document (YAML or JSON; JSON is YAML). It collects every
 * problem in the document, schema and cross-references alike, not just the first.
 */
export function loadTreaty(text: string): Result<Treaty, TreatyError> {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (cause) {
    const message = cause instanceof YAMLParseError ? cause.message : String(cause);
    return err({ code: 'TREATY_SYNTAX', issues: [{ path: '(document)', message: `not valid YAML or JSON: ${message}` }] });
  }
  return validateTreaty(raw);
}

export function validateTreaty(raw: unknown): Result<Treaty, TreatyError> {
  const parsed = treatySchema.safeParse(raw, { reportInput: true });
  const schemaIssues = parsed.success ? [] : issuesFromZod(parsed.error.issues);
  // Cross-references are checked on the raw document too, so that one run reports both
  // kinds of problem; a path the schema already faulted is not reported twice.
  const faulted = new Set(schemaIssues.map((issue) => issue.path));
  const crossIssues = checkReferences(raw).filter((issue) => !faulted.has(issue.path));
  const issues = [...schemaIssues, ...crossIssues];
  if (!parsed.success || issues.length > 0) return err({ code: 'TREATY_INVALID', issues });
  return ok(parsed.data);
}
