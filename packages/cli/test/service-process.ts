import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BUILT_COMMAND } from '@evenhand/testing';
import { REPO_ROOT } from './run-cli.ts';

/**
 * One service (`evenhand <service> serve --config …`) as a separate OS process, started from
 * the built output as installed (issue 16), with everything it printed kept.
 */
export class ServiceProcess {
  child!: ChildProcessWithoutNullStreams;
  output = '';
  constructor(
    readonly name: string,
    readonly args: readonly string[],
  ) {}

  /** Starts the process and waits until it says it is listening (bounded to 60 s). */
  start(): Promise<void> {
    this.child = spawn(process.execPath, [BUILT_COMMAND, ...this.args], { cwd: REPO_ROOT });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start in 60 s:\n${this.output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk;
        if (/listening at https?:/.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      this.child.stdout.on('data', onData);
      this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk));
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code}:\n${this.output}`));
      });
    });
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.removeAllListeners('exit');
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }

  /** The JSON log lines the service has written so far. */
  logLines(): Record<string, unknown>[] {
    return this.output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
