import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_COMMAND, ensureBuilt, freePort, stopProcess } from '@evenhand/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface DemoProcess {
  readonly exchange: string;
  readonly us: string;
  readonly ru: string;
  readonly logins: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * `evenhand demo` in a child process on free ports, as `npm start` runs it, from the built
 * output (no tsx): the exchange, the US and RU gateways and the CH witness, seeded with the 2021 scenario. Resolves once it
 * prints that it is running, bounded to `timeoutMs`.
 */
export async function startDemo(dir: string, timeoutMs = 180_000): Promise<DemoProcess> {
  const [exchange, witness, us, ru] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  ensureBuilt();
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BUILT_COMMAND, 'demo', '--dir', dir, '--fresh', '--exchange-port', String(exchange), '--witness-port', String(witness), '--us-port', String(us), '--ru-port', String(ru)], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = () => stopProcess(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo did not start in ${timeoutMs / 1000} s:\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    const onData = () => {
      if (!stdout.includes('Check the log yourself')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${stderr.slice(-2000)}`));
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const logins = JSON.parse(readFileSync(join(dir, 'logins.json'), 'utf8')) as Record<string, string>;
  return { exchange: url(exchange), us: url(us), ru: url(ru), logins, stop };
}
