import { existsSync } from 'node:fs';

/**
 * The C allocator the benchmark services run with (docs/deploying.md, "Memory"): jemalloc,
 * preloaded, when Debian's libjemalloc2 is installed, as a deployment is told to run them; else
 * glibc's malloc. In the sustained run of issue 14 on glibc's malloc, each service's memory
 * outside V8's heap grew by some 650 bytes for each entry the log gained, little of it live:
 * freed memory that its arenas kept. EVENHAND_BENCH_MALLOC chooses: `system` for glibc's
 * malloc, or the path of a library to preload. Only the services get it, not the load
 * generators.
 */
export interface ServiceMalloc {
  /** What the benchmarks print: the allocator's name or the library's path. */
  readonly name: string;
  /** The environment a service is spawned with. */
  readonly env: NodeJS.ProcessEnv;
}

/** Where Debian's libjemalloc2 puts the library, on the architectures the machines here have. */
const JEMALLOC = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'];

export function serviceMalloc(chosen = process.env.EVENHAND_BENCH_MALLOC): ServiceMalloc {
  if (chosen === 'system') return { name: "glibc's malloc (EVENHAND_BENCH_MALLOC=system)", env: process.env };
  if (chosen !== undefined && chosen !== '') {
    if (!existsSync(chosen)) throw new Error(`EVENHAND_BENCH_MALLOC: ${chosen} does not exist; give the path of a library to preload, or "system"`);
    return { name: chosen, env: { ...process.env, LD_PRELOAD: chosen } };
  }
  const jemalloc = JEMALLOC.find((path) => existsSync(path));
  if (!jemalloc) return { name: "glibc's malloc (libjemalloc2 is not installed)", env: process.env };
  return { name: `jemalloc (${jemalloc})`, env: { ...process.env, LD_PRELOAD: jemalloc } };
}
