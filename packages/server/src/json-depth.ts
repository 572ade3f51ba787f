/** How deep a JSON body may nest: the deepest body any route takes (a filing with its sealed members) is under 10. */
export const MAX_JSON_DEPTH = 32;

/**
 * The depth of a parsed JSON value, walked without recursion (issue 14, "errors found by
 * fuzzing": a draft nested 4,500 levels deep overflowed the stack when stored), stopping as
 * soon as it passes `max`.
 */
export function jsonDepthExceeds(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
