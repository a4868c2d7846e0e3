/**
 * Real Chromium module workers for the browser thread scenarios. The worker scripts
 * (workers/*.mjs) are bundled with the packed package by scripts/test-browser-threads.mjs and
 * served next to the page at /specs/workers/<name>.js; a worker gets its parameters (and the
 * ports, transferred) as its first message.
 */

/** Whether this browser fires `close` on a `MessagePort` whose other end closed or died. */
export const hasCloseEvent = typeof MessagePort !== 'undefined' && 'onclose' in MessagePort.prototype;

const started = new Set<Worker>();
const errors = new WeakMap<Worker, Promise<string>>();

/** Starts `workers/<name>.js` as a module worker and posts it `data`, transferring `transfer`. */
export function spawn(name: string, data: Record<string, unknown> = {}, transfer: Transferable[] = []): Worker {
  const worker = new Worker(`/specs/workers/${name}.js`, { type: 'module', name });
  started.add(worker);
  // An uncaught error in a worker that its Worker object does not cancel is reported again in
  // the page, where the test runner would count it against the test: record it here instead.
  errors.set(worker, new Promise((resolve) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      resolve(event.message);
    });
  }));
  worker.postMessage(data, transfer);
  return worker;
}

/** The message of the first uncaught error in `worker` (made by {@link spawn}). */
export function failed(worker: Worker): Promise<string> {
  return errors.get(worker)!;
}

/** The next message `worker` posts that satisfies `match`. */
export function message<M>(worker: Worker, match: (m: M) => boolean = () => true): Promise<M> {
  return new Promise((resolve) => {
    const on = (event: MessageEvent<M>): void => {
      if (!match(event.data)) return;
      worker.removeEventListener('message', on);
      resolve(event.data);
    };
    worker.addEventListener('message', on);
  });
}

/** Waits (one macrotask at a time, never a timer) until `condition()` holds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((next) => setImmediate(next));
}

/** Terminates every worker a test started (call from afterEach): nothing outlives its test. */
export function terminateAll(): void {
  for (const worker of started) worker.terminate();
  started.clear();
}
