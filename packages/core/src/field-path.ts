/**
 * A member written after a dot: a name of letters, digits, `_`, `$` and `-` (`decideDays`,
 * `content-type`), which cannot be mistaken for a step of the path. Any other name (`a.b`,
 * `case no`, ``) is quoted in brackets, so that no two paths read alike.
 */
const PLAIN_NAME = /^[A-Za-z_$][\w$-]*$/;

/**
 * Renders a path such as `["deadlines", "decideDays"]` as `deadlines.decideDays`, and array
 * positions in brackets (`body.legs[0].request`), and any other name quoted in them
 * (`body.extra["case no"]`): the one spelling of a field in every refusal,
 * whether zod, the strict entry reader (log json-strict.ts), a route's schema (server
 * error-handler.ts) or a hand-written check found it. A first name that is not plain is
 * quoted too: `["a.b"].c`.
 */
export function formatPath(path: readonly PropertyKey[], whole = '(document)'): string {
  if (path.length === 0) return whole;
  const spelled = (part: PropertyKey, index: number): string => {
    if (typeof part === 'number') return `[${part}]`;
    const name = String(part);
    if (!PLAIN_NAME.test(name)) return `[${JSON.stringify(name)}]`;
    return index === 0 ? name : `.${name}`;
  };
  return path.map(spelled).join('');
}
