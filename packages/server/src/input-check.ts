import { formatPath } from '@evenhand/core';
import type { FieldPath, RequestPart } from './errors.ts';

/** How deep a JSON body may nest: the deepest body any route takes (a filing with its sealed members) is under 10. */
export const MAX_JSON_DEPTH = 32;

export interface InputProblem {
  readonly code: 'BODY_TOO_DEEP' | 'BAD_REQUEST';
  /** Where: `body.name`, `query.after`, `path.id`, `body.items[3]`. */
  readonly field: FieldPath;
  readonly message: string;
}

/** A value met on the walk, with how it was reached: its path is spelled out only for the one refused. */
interface Step {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Step | undefined;
  readonly key: string | number;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string is no text any route takes, or undefined. U+0000 is refused by PostgreSQL's
 * text and jsonb ("invalid byte sequence for encoding UTF8: 0x00", a 500 on every route that
 * looked up a draft, an official or a case by it). A lone surrogate (`"\ud800"` in JSON) is
 * not Unicode: canonical JSON (RFC 8785 §3.2.2.2) cannot write it, so an entry holding one
 * failed while the gateway signed it, again a 500.
 */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'holds U+0000 (NUL), which no text here may hold';
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `holds a lone surrogate (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}), half of a UTF-16 pair without its other half: it is not Unicode text`;
  return undefined;
}

/** The path from the part (the walk's first step) to `step`: `body.items[3]`, `query.after`. */
function pathOf(step: Step): FieldPath {
  const keys: (string | number)[] = [];
  for (let at: Step | undefined = step; at; at = at.parent) keys.unshift(at.key);
  return formatPath(keys) as FieldPath;
}

/** Raw bytes (a Buffer a route parsed its body into): the route's to read, never walked. */
const isBytes = (value: object): boolean => ArrayBuffer.isView(value) || value instanceof ArrayBuffer;

/**
 * What no route of these services takes in any part of a request (`part`: "body", "query" or
 * "path"), walked without recursion and stopping at the first (issue 14, "errors found by
 * fuzzing"): nesting deeper than MAX_JSON_DEPTH (a draft 4,500 levels deep overflowed the
 * stack when stored); a member named `__proto__`, or `prototype` under `constructor`, the
 * names that would reach an object's prototype if merged; and a string, value or member name,
 * that `textProblem` refuses. Only JSON's own values are walked: a raw body (a Buffer) is
 * the route's to read.
 */
export function inputProblem(value: unknown, part: RequestPart): InputProblem | undefined {
  const stack: Step[] = [{ value, depth: 0, parent: undefined, key: part }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const item = step.value;
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) return refused(pathOf(step), problem);
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (isBytes(item)) continue;
    if (step.depth + 1 > MAX_JSON_DEPTH) return { code: 'BODY_TOO_DEEP', field: part, message: `${part}: nested more than ${MAX_JSON_DEPTH} levels deep; no request of this service needs more` };
    if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index++) stack.push({ value: item[index], depth: step.depth + 1, parent: step, key: index });
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      const at: Step = { value: child, depth: step.depth + 1, parent: step, key };
      if (key === '__proto__' || (key === 'prototype' && step.key === 'constructor')) return refused(pathOf(at), 'is a member no request has: the name would reach an object\'s prototype');
      const problem = textProblem(key);
      if (problem) return refused(pathOf(at), `the member's name ${problem}`);
      stack.push(at);
    }
  }
  return undefined;
}

function refused(field: FieldPath, problem: string): InputProblem {
  return { code: 'BAD_REQUEST', field, message: `${field}: ${problem}` };
}
