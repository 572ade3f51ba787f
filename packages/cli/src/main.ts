#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { registerBackup } from './commands/backup.ts';
import { registerClear } from './commands/clear.ts';
import { registerDemo } from './commands/demo.ts';
import { registerProve } from './commands/prove.ts';
import { registerServe } from './commands/serve.ts';
import { registerKeygen } from './commands/keygen.ts';
import { registerTreatyCheck } from './commands/treaty-check.ts';
import { registerWalkthrough } from './commands/walkthrough.ts';
import { registerVerify } from './commands/verify.ts';
import { EVENHAND_VERSION } from './version.ts';

/** The `evenhand` command. Each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('evenhand')
    .description('Evenhand: a verifiable exchange for the reciprocal handover of cybercrime suspects.')
    .version(EVENHAND_VERSION)
    .showHelpAfterError('(run with --help for usage)');
  registerDemo(program);
  registerServe(program);
  registerKeygen(program);
  registerWalkthrough(program);
  registerTreatyCheck(program);
  registerClear(program);
  registerVerify(program);
  registerProve(program);
  registerBackup(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  // Every command, subcommands included (they do not inherit it once created), throws instead
  // of exiting, so that each error gets its code here.
  const overrideExit = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(overrideExit);
  };
  overrideExit(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Help and version end well; every other complaint of commander's is a usage error, which
    // gets EX_USAGE (sysexits.h: 64), so that "failed" (1) always means what the command found.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EX_USAGE;
    if (error instanceof CliError) {
      process.stderr.write(`evenhand: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

/** sysexits.h EX_USAGE: the command was used wrongly (an unknown option, a bad value, a missing argument). */
export const EX_USAGE = 64;

if (import.meta.url === `file://${process.argv[1]}`) {
  // The exit code is set and the process ends by itself once stdout has drained: process.exit
  // here would cut output piped into another program (`evenhand clear … | jq`) short.
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
