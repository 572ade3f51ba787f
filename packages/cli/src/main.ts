#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { registerClear } from './commands/clear.ts';
import { registerDemo } from './commands/demo.ts';
import { registerProve } from './commands/prove.ts';
import { registerServe } from './commands/serve.ts';
import { registerKeygen } from './commands/keygen.ts';
import { registerTreatyCheck } from './commands/treaty-check.ts';
import { registerWalkthrough } from './commands/walkthrough.ts';
import { registerVerify } from './commands/verify.ts';

/** The `evenhand` command. Each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('evenhand')
    .description('Evenhand: a verifiable exchange for the reciprocal handover of cybercrime suspects.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerDemo(program);
  registerServe(program);
  registerKeygen(program);
  registerWalkthrough(program);
  registerTreatyCheck(program);
  registerClear(program);
  registerVerify(program);
  registerProve(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`evenhand: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
