import { show } from '../internal/validate.js';
import { currentHook, installHook, runPlain, turn, type TestHook } from './hook.js';

/** Promise jobs without library activity after which everything it scheduled has run. */
const QUIET_TURNS = 50;
/** A flush that sees the library busy for this many promise jobs is stuck in a loop. */
const MAX_TURNS = 100_000;

let activity = 0;
let flushing = 0;
let uninstall: (() => void) | null = null;

/** Counts what the library hands over and runs it as it would without a hook. */
const counting: TestHook = (job, settle) => {
  activity++;
  runPlain(job, settle);
};

/**
 * Settles everything the library has scheduled: deliveries, wake-ups, the settlement of waiting
 * sends and receives, and what their continuations start in turn. Resolves once the library
 * has been quiet for 50 promise jobs in a row.
 *
 * It runs on promise jobs alone, never on timers, so it works the same under jest's and
 * sinon's fake timers (which fake `setImmediate`, `queueMicrotask` and `setTimeout`, but not
 * the promise job queue the library defers its work to). Inside {@link explore} it resolves
 * once the explorer has run everything scheduled so far.
 *
 * **Errors:** rejects `Error` if the library is still busy after 100 000 promise jobs (a
 * wake-up loop).
 *
 * **Gotchas:** time is not advanced: a wait for a timer (`AbortSignal.timeout`, a `setTimeout`
 * in your code) needs the fake clock advanced (`jest.advanceTimersByTime`), then a `flush()`.
 * Your own code's promise chains are waited for only as long as they keep reaching the library
 * within 50 promise jobs.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { flush, inspect } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(1);
 * const seen: number[] = [];
 * void (async () => { for await (const n of rx) seen.push(n); })();
 * await tx.send(1);
 * await tx.send(2);
 * await flush();
 * seen;                     // => [1, 2]
 * inspect(rx).buffered;     // => 0
 * ```
 */
export async function flush(): Promise<void> {
  const hook = currentHook();
  if (hook !== undefined && hook.idle !== undefined) return hook.idle();
  if (hook !== undefined && hook !== counting) {
    // Another harness orders the jobs; give it the same number of promise jobs.
    for (let i = 0; i < QUIET_TURNS; i++) await turn();
    return;
  }
  if (flushing++ === 0) uninstall = installHook(counting);
  try {
    let quiet = 0;
    for (let turns = 0; quiet < QUIET_TURNS; turns++) {
      if (turns === MAX_TURNS) {
        throw new Error(`flush: the library was still scheduling work after ${MAX_TURNS} promise jobs (a wake-up loop?)`);
      }
      const before = activity;
      await turn();
      quiet = activity === before ? quiet + 1 : 0;
    }
  } finally {
    if (--flushing === 0) {
      uninstall?.();
      uninstall = null;
    }
  }
}

/**
 * Whether `promise` is still pending once everything the library scheduled has settled
 * ({@link flush}): the way to see that a send is blocked or a receive is waiting, without
 * racing a timer.
 *
 * **Errors:** rejects `TypeError` showing `promise` if it is not a promise (a thenable).
 *
 * **Gotchas:** it attaches handlers to `promise`, so a rejection of it no longer counts as
 * unhandled; await it afterwards to see the error.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { isPending } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(1);
 * await tx.send(1);
 * const blocked = tx.send(2);
 * await isPending(blocked); // => true
 * await rx.recv();          // => 1
 * await isPending(blocked); // => false
 * ```
 */
export async function isPending(promise: PromiseLike<unknown>): Promise<boolean> {
  if (promise === null || (typeof promise !== 'object' && typeof promise !== 'function') || typeof promise.then !== 'function') {
    throw new TypeError(`Expected \`promise\` to be a promise, got ${show(promise)}`);
  }
  let pending = true;
  const settled = (): void => {
    pending = false;
  };
  promise.then(settled, settled);
  await flush();
  return pending;
}
