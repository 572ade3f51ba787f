import type { Command } from 'commander';
import { defaultTreatyPath } from '../paths.ts';
import { readTreatyFile } from '../read-treaty.ts';
import { CliError } from '../cli-error.ts';
import { DEFAULT_PORTS } from '../demo/demo-setup.ts';
import { runDemo, type RunningDemo } from '../demo/run-demo.ts';
import { untilStopped } from '../until-stopped.ts';

interface DemoFlags {
  dir: string;
  fresh: boolean;
  exchangePort: number;
  witnessPort: number;
  usPort: number;
  ruPort: number;
  treaty: string;
}

function port(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new Error(`${name} must be a port number from 1 to 65535, found "${value}"`);
    return parsed;
  };
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
    'Check the log yourself, as the United States would:',
    `  npm run evenhand -- verify --log ${demo.exchange.url} --policy ${demo.policyFile} --as US`,
    '',
    'Run a clearing round now, as the operator (the treaty schedules one weekly):',
    `  curl -X POST -H "Authorization: Bearer $(cat ${demo.operatorTokenFile})" ${demo.exchange.url}/v1/clearing/run`,
    '',
  ];
  return lines.join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the exchange, a gateway per state and a neutral witness on this machine (embedded SQLite), seeded with the 2021 scenario; what `npm start` runs')
    .option('--dir <dir>', 'where the demo keeps its keys and databases', '.evenhand/demo')
    .option('--fresh', 'delete the demo directory and start over', false)
    .option('--exchange-port <port>', 'exchange port', port('--exchange-port'), DEFAULT_PORTS.exchange)
    .option('--witness-port <port>', 'neutral witness (CH) port', port('--witness-port'), DEFAULT_PORTS.witness)
    .option('--us-port <port>', 'US gateway port', port('--us-port'), DEFAULT_PORTS.gateways.US)
    .option('--ru-port <port>', 'RU gateway port', port('--ru-port'), DEFAULT_PORTS.gateways.RU)
    .option('--treaty <file>', 'treaty document', defaultTreatyPath())
    .action(async (flags: DemoFlags) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      let demo: RunningDemo;
      try {
        demo = await runDemo({
          dir: flags.dir,
          fresh: flags.fresh,
          ports: { exchange: flags.exchangePort, witness: flags.witnessPort, gateways: { US: flags.usPort, RU: flags.ruPort } },
          treaty: readTreatyFile(flags.treaty),
          now: () => Math.floor(Date.now() / 1000),
          log,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const hint = /EADDRINUSE/.test(message) ? ' (a port is taken: is another demo running? choose others with --exchange-port, --witness-port, --us-port, --ru-port)' : '';
        throw new CliError(`the demo could not start: ${message}${hint}`, 1);
      }
      process.stdout.write(`${describeDemo(demo, flags.dir)}\n`);
      await untilStopped();
      log('Stopping the demo…');
      await demo.close();
    });
}
