// Starts a worker thread running a TypeScript file, for these examples only: Node 20 does not
// run `.ts` files itself, and `execArgv: ['--import', 'tsx']` does not reach worker threads
// there. The worker boots with tsx's `tsImport`. A real app starts its built `.js` worker file
// with a plain `new Worker(url, options)`.
import { Worker, type WorkerOptions } from 'node:worker_threads';

const tsxApi = import.meta.resolve('tsx/esm/api');

/** `new Worker(file, options)` for a TypeScript `file`. */
export function tsWorker(file: URL, options: WorkerOptions): Worker {
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}
