import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { lazily } from '../lazy-action.ts';
import { defaultTreatyPath } from '../paths.ts';
import { DEFAULT_PORTS } from '../demo/demo-ports.ts';
import { port } from '../option-values.ts';

/*
 * The command's options only: what it runs is loaded when it runs (demo-run.ts), so that
 * reading the command line, and --help, loads no more than commander (issue 16).
 */

/** The accession documents beside a treaty file (treaties/accessions/<ID>.yaml), by party id. */
export function accessionsDir(treatyFile: string): string {
  return join(dirname(treatyFile), 'accessions');
}

export function knownAccessions(treatyFile: string): string[] {
  const dir = accessionsDir(treatyFile);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => /^[A-Z]{2,3}\.yaml$/.test(name)).map((name) => name.slice(0, -'.yaml'.length)).sort();
}

export function registerDemo(program: Command): void {
  const treatyFile = defaultTreatyPath();
  // A port flag for every state the demo can run: the 2021 treaty's parties and each accession beside it.
  const portStates = [...new Set(['US', 'RU', ...knownAccessions(treatyFile)])];
  const command = program
    .command('demo')
    .description('run the exchange, a gateway per state and a neutral witness on this machine (embedded SQLite), seeded with the 2021 scenario; what `npm start` runs')
    .option('--dir <dir>', 'where the demo keeps its keys and databases', '.evenhand/demo')
    .option('--fresh', 'delete the demo directory and start over', false)
    .option('--tls', "serve everything over HTTPS, with certificates from a local CA made by openssl under <dir>/tls (fixed at the directory's first run)", false)
    .option('--states <list>', `the states, by party code: the treaty's parties first, then states that join by amendment (available: ${knownAccessions(treatyFile).join(', ') || 'none'}, from treaties/accessions)`, 'US,RU')
    .option('--exchange-port <port>', 'exchange port', port('--exchange-port'), DEFAULT_PORTS.exchange)
    .option('--witness-port <port>', 'neutral witness (CH) port', port('--witness-port'), DEFAULT_PORTS.witness);
  for (const state of portStates) {
    const fallback = DEFAULT_PORTS.gateways[state];
    command.option(`--${state.toLowerCase()}-port <port>`, `${state} gateway port${fallback === undefined ? ' (default: the next free port)' : ''}`, port(`--${state.toLowerCase()}-port`), fallback);
  }
  command.option('--treaty <file>', 'treaty document', treatyFile).action(lazily(() => import('./demo-run.ts'), (run) => run.demoAction));
}
