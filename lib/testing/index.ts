/**
 * `rxjs-channel/testing`: see and test channel code.
 *
 * - {@link inspect} and {@link expectIdle}: what is buffered, who waits, who still holds a
 *   sender, for any handle of any kind;
 * - {@link flush} and {@link isPending}: settle what the library scheduled, then look, instead
 *   of racing `setImmediate` (also under jest's and sinon's fake timers);
 * - {@link collect}: the values until the end, failing fast (with who still holds the channel)
 *   when the end does not come;
 * - {@link explore}: run a scenario under many reproducible interleavings of the library's
 *   wake-ups and hand-offs, and get a seed and a shortest schedule for the one that fails.
 *
 * Its own entry point: nothing here reaches `rxjs-channel` itself. See `docs/09-testing.md`.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { collect, expectIdle, flush, isPending } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(1);
 * await tx.send(1);
 * const blocked = tx.send(2);
 * await isPending(blocked); // => true
 * tx.drop();                // the blocked send still completes
 * await collect(rx);        // => [1, 2]
 * await flush();
 * expectIdle(rx);
 * ```
 *
 * @module
 */
export { inspect, expectIdle, type ChannelSnapshot } from './inspect.js';
export { flush, isPending } from './flush.js';
export { collect, CollectTimeoutError, type CollectOptions } from './collect.js';
export { explore, ExploreError, type ExploreOptions, type ExploreReport } from './explore.js';
