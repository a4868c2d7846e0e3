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

/**
 * Runs the library's scheduled jobs through a harness hook that keeps what they throw, so an
 * error the library rethrows from a promise job is caught instead of becoming an unhandled
 * rejection (lib/internal/schedule.ts). Call `restore` in a `finally`.
 */
export function catchRethrown(): { caught: unknown[]; restore: () => void } {
  const slot = (globalThis as unknown as Record<symbol, Record<symbol, unknown>>)[Symbol.for('rxjs-channel.scheduleHookSlot')]!;
  const key = Symbol.for('rxjs-channel.scheduleHook');
  const caught: unknown[] = [];
  slot[key] = (job: () => void) =>
    void Promise.resolve().then(() => {
      try {
        job();
      } catch (error) {
        caught.push(error);
      }
    });
  return { caught, restore: () => void delete slot[key] };
}
