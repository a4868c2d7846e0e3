/**
 * Real `worker_threads` for the thread specs. Worker fixtures are plain .mjs files that import
 * the library from `workerData.entry`: the installed tarball's ESM build when
 * RXJS_CHANNEL_PACKED is set (see scripts/test-packed.mjs), else lib/ bundled once by esbuild
 * (rxjs left external), so a worker starts in milliseconds instead of loading a TypeScript
 * loader.
 */
import { buildSync } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = resolve(__dirname, '../..');
let built: string | undefined;

/** The library entry (a file URL) the workers import. */
export function entry(): string {
  if (built !== undefined) return built;
  const packed = process.env.RXJS_CHANNEL_PACKED;
  if (packed) return (built = pathToFileURL(join(packed, 'node_modules/rxjs-channel/dist/esm/index.js')).href);
  const dir = join(root, 'node_modules/.cache/rxjs-channel-threads');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `index-${process.pid}.mjs`);
  buildSync({ entryPoints: [join(root, 'lib/index.ts')], bundle: true, format: 'esm', platform: 'neutral', external: ['rxjs'], outfile, logLevel: 'error' });
  process.once('exit', () => rmSync(outfile, { force: true }));
  return (built = pathToFileURL(outfile).href);
}

const exits = new WeakMap<Worker, Promise<{ code: number; error: Error | undefined }>>();

/** Starts `fixtures/<name>.mjs` with `data` (and the entry) as its workerData. */
export function spawn(name: string, data: Record<string, unknown>, transferList: readonly unknown[] = []): Worker {
  const worker = new Worker(join(__dirname, 'fixtures', `${name}.mjs`), {
    workerData: { entry: entry(), ...data },
    transferList: transferList as never,
  });
  // Listened for from the start: a worker may exit before the spec asks.
  let error: Error | undefined;
  worker.on('error', (e) => (error = e));
  exits.set(worker, new Promise((done) => worker.on('exit', (code) => done({ code, error }))));
  return worker;
}

/** Resolves with the exit code once `worker` (made by {@link spawn}) exits, and its error if any. */
export function exited(worker: Worker): Promise<{ code: number; error: Error | undefined }> {
  return exits.get(worker)!;
}

/** The next message `worker` posts that satisfies `match`. */
export function message<M>(worker: Worker, match: (m: M) => boolean = () => true): Promise<M> {
  return new Promise((done) => {
    const on = (m: M): void => {
      if (!match(m)) return;
      worker.off('message', on);
      done(m);
    };
    worker.on('message', on);
  });
}

/** Waits (one macrotask at a time, never a timer) until `condition()` holds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((next) => setImmediate(next));
}
