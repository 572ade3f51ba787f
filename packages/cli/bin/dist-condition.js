// A module resolution hook (node:module register): every import is resolved with the
// "evenhand-dist" export condition first, so @evenhand/* packages load from their dist/.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: ['evenhand-dist', ...context.conditions] });
}
