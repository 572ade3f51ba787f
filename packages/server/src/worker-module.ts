import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A resolve hook that puts the "evenhand-dist" export condition first (as the installed
 * command's bin does), so that a built worker loads @evenhand/* from their dist/.
 */
const DIST_CONDITION_HOOK = `data:text/javascript,${encodeURIComponent('export async function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: ["evenhand-dist", ...context.conditions] }); }')}`;

/**
 * Starts the worker module `name` (without extension) that sits beside the module at
 * `callerUrl` (its import.meta.url). From the TypeScript sources (tsx: the tests) the worker
 * registers tsx before loading `name`.ts; from the built output (the installed command, issue
 * 16) it loads `name`.js with the dist condition. Node 20 does not carry the parent's module
 * hooks into a worker, so the worker starts from a JavaScript bootstrap that registers them.
 */
export function startModuleWorker(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const built = callerUrl.endsWith('.js');
  const script = new URL(`./${name}${built ? '.js' : '.ts'}`, callerUrl).href;
  // Resolved here, where the package is found from this file, not from the worker's cwd.
  const hooks = built ? `import('node:module').then(({ register }) => register(${JSON.stringify(DIST_CONDITION_HOOK)}))` : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => register())`;
  return new Worker(`${hooks}.then(() => import(${JSON.stringify(script)}))`, { ...options, eval: true });
}
