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

/**
 * How many runs a property makes: `runs`, or a tenth of it under mutation testing
 * (`RXJS_CHANNEL_MUTATION=1`, set by jest.stryker.config.js), where every mutant re-runs the
 * properties that cover it. Fewer runs can only let a mutant survive, never fake a kill.
 */
export function propertyRuns(runs: number): number {
  return underMutation ? Math.max(5, Math.ceil(runs / 10)) : runs;
}

/**
 * Whether this is a mutation testing run (see {@link propertyRuns}). The checks that a
 * property's random runs exercised what it claims (every style drawn, some aborts landed) are
 * about the sample, not the library: with a tenth of the runs they are skipped there.
 */
export const underMutation = process.env.RXJS_CHANNEL_MUTATION === '1';
