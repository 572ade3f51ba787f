import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BUILT_COMMAND, stopProcess } from '@evenhand/testing';
import { REPO_ROOT } from './run-cli.ts';

/**
 * One service (`evenhand <service> serve --config …`) as a separate OS process, started from
 * the built output as installed (issue 16), with everything it printed kept.
 */
export class ServiceProcess {
  child: ChildProcessWithoutNullStreams | undefined;
  output = '';
  constructor(
    readonly name: string,
    readonly args: readonly string[],
    /** A command the service runs under, e.g. `ip netns exec <host>` to run it on a test's own host. */
    readonly under: readonly string[] = [],
  ) {}

  /** Starts the process and waits until it says it is listening (bounded to 60 s). */
  start(): Promise<void> {
    const command = [...this.under, process.execPath, BUILT_COMMAND, ...this.args];
    const child = spawn(command[0]!, command.slice(1), { cwd: REPO_ROOT });
    this.child = child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start in 60 s:\n${this.output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk;
        if (/listening at https?:/.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => (this.output += chunk));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code}:\n${this.output}`));
      });
    });
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    // Never started (an earlier service failed first): nothing to stop.
    if (!this.child) return Promise.resolve();
    // Its start's listener would take a stop for a failure to start.
    this.child.removeAllListeners('exit');
    return stopProcess(this.child, signal);
  }

  /** The JSON log lines the service has written so far. */
  logLines(): Record<string, unknown>[] {
    return this.output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
