import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadAccession, type Accession, type Treaty } from '@evenhand/core';
import { keepHeapNearLive } from '@evenhand/server';
import { readTreatyFile } from '../read-treaty.ts';
import { CliError } from '../cli-error.ts';
import { accessionsDir } from './demo.ts';
import { DEFAULT_PORTS } from '../demo/demo-ports.ts';
import { runDemo, type RunningDemo } from '../demo/run-demo.ts';
import { untilStopped } from '../until-stopped.ts';

interface DemoFlags {
  dir: string;
  fresh: boolean;
  exchangePort: number;
  witnessPort: number;
  states: string;
  treaty: string;
  tls: boolean;
  [statePort: string]: unknown;
}



function readAccession(treatyFile: string, id: string): Accession {
  const file = join(accessionsDir(treatyFile), `${id}.yaml`);
  if (!existsSync(file)) throw new CliError(`--states: ${id} is not a party of the treaty and has no accession document; write ${file} (its party and law profile, as TR.yaml does)`, 2);
  const loaded = loadAccession(readFileSync(file, 'utf8'));
  if (!loaded.ok) throw new CliError(`${file} is not a valid accession:\n${loaded.error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`, 2);
  if (loaded.value.party.id !== id) throw new CliError(`${file} describes ${loaded.value.party.id}, not ${id}`, 2);
  return loaded.value;
}

/** The states of the demo: the treaty's parties, which --states must include, then the acceding ones in the order given. */
function statesOf(list: string, treaty: Treaty): string[] {
  const states = list.split(',').map((state) => state.trim().toUpperCase()).filter(Boolean);
  const invalid = states.filter((state) => !/^[A-Z]{2,3}$/.test(state));
  if (invalid.length > 0) throw new CliError(`--states: expected party codes of 2-3 letters separated by commas, such as US,RU,TR; found ${invalid.join(', ')}`, 2);
  if (new Set(states).size !== states.length) throw new CliError(`--states: a state is listed twice in ${list}`, 2);
  const missing = treaty.parties.map((party) => party.id).filter((id) => !states.includes(id));
  if (missing.length > 0) throw new CliError(`--states: the treaty's parties ${missing.join(', ')} must take part; further states join them by amendment`, 2);
  return states;
}

function portIsFree(candidate: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Gateway ports: each state's flag, the defaults for US and RU, then the next free port for the others. */
async function gatewayPorts(states: readonly string[], flags: DemoFlags): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const taken = new Set<number>([flags.exchangePort, flags.witnessPort]);
  for (const state of states) {
    const given = flags[`${state.toLowerCase()}Port`];
    const chosen = typeof given === 'number' ? given : DEFAULT_PORTS.gateways[state];
    if (chosen !== undefined) {
      out[state] = chosen;
      taken.add(chosen);
    }
  }
  let next = Math.max(...taken, DEFAULT_PORTS.gateways.RU!) + 10;
  for (const state of states) {
    if (out[state] !== undefined) continue;
    while (taken.has(next) || !(await portIsFree(next))) next += 1;
    out[state] = next;
    taken.add(next);
  }
  return out;
}

/** What a newcomer needs after start: where everything is, and how to log in. */
export function describeDemo(demo: RunningDemo, dir: string): string {
  const lines = [
    '',
    'Evenhand demo is running (Ctrl-C stops it; `npm start` again resumes it).',
    '',
    `  Exchange: transparency page, the log, OpenAPI at /docs  ${demo.exchange.url}`,
    `    transparency data: ${demo.exchange.url}/v1/statistics   checkpoint: ${demo.exchange.url}/checkpoint`,
    `  Neutral witness CH                                     ${demo.witness.url}`,
    ...[...demo.gateways].map(([party, gateway]) => `  ${party} gateway: the officials' console, API at /docs    ${gateway.url}`),
    '',
    `Officials (username / password; open a gateway in a browser to log in), also in ${dir}/logins.json:`,
    ...[...demo.logins].sort(([a], [b]) => a.localeCompare(b)).map(([user, password]) => `  ${user.padEnd(16)} ${password}`),
    '',
    ...(demo.caFile ? [`Every service serves HTTPS with a certificate from a local CA: trust ${demo.caFile} in your browser to open them.`, ''] : []),
    'Check the log yourself, as the United States would (every entry signed as US must be signed by a key US held):',
    `  npm run evenhand -- verify --log ${demo.exchange.url} --policy ${demo.policyFile} --as US --key-history ${join(dir, 'keys', 'us-entry.key.history')}${demo.caFile ? ` --ca ${demo.caFile}` : ''}`,
    '',
    'Run a clearing round now, as the operator (the treaty schedules one weekly):',
    `  curl${demo.caFile ? ` --cacert ${demo.caFile}` : ''} -X POST -H "Authorization: Bearer $(cat ${demo.operatorTokenFile})" ${demo.exchange.url}/v1/clearing/run`,
    '',
  ];
  return lines.join('\n');
}

/** What the command runs, loaded only when it runs (demo.ts registers its options). */
export const demoAction = async (flags: DemoFlags) => {
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const treaty = readTreatyFile(flags.treaty);
    const states = statesOf(flags.states, treaty);
    const accessions = states.filter((state) => !treaty.parties.some((party) => party.id === state)).map((state) => readAccession(flags.treaty, state));
    let demo: RunningDemo;
    // Every service of the demo runs in this one process, for as long as the demo runs (server heap-growth.ts).
    keepHeapNearLive();
    try {
      demo = await runDemo({
        dir: flags.dir,
        fresh: flags.fresh,
        ports: { exchange: flags.exchangePort, witness: flags.witnessPort, gateways: await gatewayPorts(states, flags) },
        treaty,
        accessions,
        now: () => Math.floor(Date.now() / 1000),
        log,
        tls: flags.tls,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = /EADDRINUSE/.test(message) ? ` (a port is taken: is another demo running? choose others with --exchange-port, --witness-port, ${states.map((state) => `--${state.toLowerCase()}-port`).join(', ')})` : '';
      throw new CliError(`the demo could not start: ${message}${hint}`, 1);
    }
    process.stdout.write(`${describeDemo(demo, flags.dir)}\n`);
    await untilStopped();
    log('Stopping the demo…');
    await demo.close();
  };
