import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child process a test started: `signal` first, then SIGKILL after `graceMs` if it
 * ignored it, so that a test's cleanup always ends. Resolves at once when it is already gone.
 */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}
