// Starting, asking and stopping the benchmark services (bench-service.ts), each in its own
// process, and reading what the kernel counts for a process: its CPU time and its RSS, from
// /proc, so that the measurement costs the measured process nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceJob } from './bench-service.ts';
import { serviceMalloc } from './service-malloc.ts';

const SERVICE = fileURLToPath(new URL('./bench-service.ts', import.meta.url));
/** The C allocator every service runs with (service-malloc.ts), printed by the benchmarks. */
export const MALLOC = serviceMalloc();

export interface ServiceProcess {
  readonly pid: number;
  /** What the service said when it was ready: `startSeconds` (inside the process) and its status. */
  readonly ready: Record<string, any>;
  /** Wall time from the spawn to `ready`, tsx loading the code included. */
  readonly spawnSeconds: number;
  /**
   * The service's status and memory; `collect`: after a full garbage collection, if the service
   * runs with --expose-gc; `loopDelay`: with the event loop's delays since the last such
   * question (`loopDelay.p99` and `.max`, ms).
   */
  status(collect?: boolean, loopDelay?: boolean): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

export async function startService(job: ServiceJob, timeoutMs = 1_800_000, nodeArgs: readonly string[] = []): Promise<ServiceProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'evenhand-bench-service-'));
  const file = join(dir, 'job.json');
  writeFileSync(file, JSON.stringify(job));
  const spawned = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SERVICE, file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: MALLOC.env });
  const waiting = new Map<number, (message: Record<string, any>) => void>();
  let next = 0;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = await new Promise<Record<string, any>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${job.role} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (message: Record<string, any>) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'status') waiting.get(message.id)?.(message);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${job.role} exited with ${code} before it was ready`));
    });
  });
  const spawnSeconds = (performance.now() - spawned) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return {
    pid: child.pid!,
    ready,
    spawnSeconds,
    status: (collect = false, loopDelay = false) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, (message) => {
          waiting.delete(id);
          resolve(message);
        });
        child.send({ type: 'status', id, collect, loopDelay });
      }),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** User plus system CPU seconds a process has used (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set size of a process, in bytes (/proc/<pid>/status VmRSS). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Polls `ready` every `everyMs` until it holds, or throws after `timeoutMs` naming `what`. */
export async function until(what: string, ready: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
