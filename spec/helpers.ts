/** Shared spec helpers: promise-state inspection after a flush, never a real-time sleep. */

/** Lets every queued microtask (and promise chain) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type PromiseState<T> =
  | { state: 'pending' }
  | { state: 'fulfilled'; value: T }
  | { state: 'rejected'; reason: unknown };

/** Reports a promise's state after a flush, without changing it. */
export async function stateOf<T>(promise: Promise<T>): Promise<PromiseState<T>> {
  let result: PromiseState<T> = { state: 'pending' };
  promise.then(
    (value) => (result = { state: 'fulfilled', value }),
    (reason: unknown) => (result = { state: 'rejected', reason }),
  );
  await flush();
  return result;
}
