/**
 * A command's action loaded when the command runs (issue 16): `load` imports the module that
 * holds it, so that reading the command line, and --help, loads commander alone.
 */
export function lazily<M, A extends unknown[]>(load: () => Promise<M>, pick: (module: M) => (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    await pick(await load())(...args);
  };
}
