/**
 * The version of evenhand, as `--version` prints it. What verify keeps between runs is bound
 * to it (verify/replay-file.ts): a release may change how entries apply, so the first run of a
 * new one replays every entry.
 */
export const EVENHAND_VERSION = '0.1.0';
