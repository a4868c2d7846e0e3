import { NOT_READY, selectPoll, selectWatch } from '../internal/selectable.js';
import { checkSignal, show } from '../internal/validate.js';
import type { Sender } from '../mpsc/sender.js';
import { abort, checkBranch, defaultBranch, isDefaultBranch, recv, send, timeout, type Branch } from './branches.js';

/**
 * The branches of one {@link select}: an object from key to {@link Branch}. A key whose value
 * is `undefined` is a disabled branch (Go's nil channel): `rx: open ? rx : undefined`.
 */
export type Branches = { readonly [key: string]: Branch<unknown> | undefined };

/** The value a branch yields when it wins (`never` for a branch that is only `undefined`). */
export type BranchValue<B> = B extends Branch<infer R> ? R : never;

/**
 * What {@link select} resolves with: the key of the branch that won and its value, as a
 * discriminated union, so `switch (result.key)` narrows `result.value`.
 */
export type SelectResult<B extends Branches> = {
  [K in keyof B & string]: [B[K]] extends [undefined]
    ? never
    : {
        /** The key of the branch that completed. */
        key: K;
        /** What that branch produced. */
        value: BranchValue<B[K]>;
      };
}[keyof B & string];

/** Options of {@link select}. */
export interface SelectOptions {
  /**
   * Aborting it rejects the select with `signal.reason` and leaves every branch untouched. (To
   * make an abort a normal outcome instead, use a `select.abort(signal)` branch.)
   */
  readonly signal?: AbortSignal;
}

/** The `select` function and its branch builders. */
export interface Select {
  /**
   * Waits until one of `branches` can complete, completes exactly that one, and resolves with
   * its key and value. See {@link select}.
   */
  <B extends Branches>(branches: B, options?: SelectOptions): Promise<SelectResult<B>>;

  /**
   * A branch that receives from `rx` (any receiver of this library). Its value is what the
   * receiver's receive yields: for mpsc and mpmc `T | undefined`, `undefined` once the channel
   * ended. A receiver may also be used as a branch directly; this spells it out.
   *
   * **Errors:** `TypeError` if `rx` is not a receiver (a sender is not one: to send, use
   * `select.send`). A receive that fails (an mpsc receiver
   * held by a subscriber, a channel failed by `error(e)`, a lagging broadcast receiver) fails the
   * select with that error.
   *
   * @example
   * ```ts
   * import { mpsc, select } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<string>(1);
   * tx.trySend('hi');
   * await select({ msg: select.recv(rx) }); // => { key: 'msg', value: 'hi' }
   * ```
   */
  recv<R>(rx: Branch<R>): Branch<R>;

  /**
   * A branch that sends `value` on `tx` (an mpsc or mpmc sender) once a slot is free. Its value
   * is `undefined`. Only a winning branch sends: when another branch wins, `value` was not sent.
   *
   * **Errors:** `TypeError` if `tx` is not a sender. If the receiving side is closed the select
   * fails with `SendError` carrying `value`; a dropped sender fails it with
   * `SenderDroppedError`.
   *
   * @example
   * ```ts
   * import { mpsc, select } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * tx.trySend(1);                                   // the channel is now full
   * const sent = select({ out: select.send(tx, 2) });
   * await rx.recv();                                 // => 1
   * await sent;                                      // => { key: 'out', value: undefined }
   * await rx.recv();                                 // => 2
   * ```
   */
  send<T>(tx: Sender<T>, value: NoInfer<T>): Branch<undefined>;

  /**
   * A branch that wins once `ms` milliseconds have passed, with value `undefined` (`Infinity`:
   * never; delays beyond `setTimeout`'s 2^31 - 1 ms are waited in steps). The clock
   * starts when the first select using the branch starts waiting, and a branch reused across
   * selects keeps that deadline (an overall deadline for a loop, as Go's `time.After`); once
   * elapsed it stays ready. Uses `setTimeout`, so jest fake timers drive it; the timer is
   * cleared when the select settles.
   *
   * **Errors:** `TypeError`/`RangeError` unless `ms` is a number >= 0 (or `Infinity`).
   *
   * @example
   * ```ts
   * import { mpsc, select } from 'rxjs-channel';
   * const [, rx] = mpsc.channel<number>(1);
   * await select({ msg: rx, late: select.timeout(10) }); // => { key: 'late', value: undefined }
   * ```
   */
  timeout(ms: number): Branch<undefined>;

  /**
   * A branch that wins once `signal` aborts, with `signal.reason` as its value: cancellation
   * as an ordinary outcome rather than a rejection.
   *
   * **Errors:** `TypeError` if `signal` is not an `AbortSignal`.
   *
   * @example
   * ```ts
   * import { mpsc, select } from 'rxjs-channel';
   * const [, rx] = mpsc.channel<number>(1);
   * const controller = new AbortController();
   * const result = select({ msg: rx, stop: select.abort(controller.signal) });
   * controller.abort('shutdown');
   * await result; // => { key: 'stop', value: 'shutdown' }
   * ```
   */
  abort(signal: AbortSignal): Branch<unknown>;

  /**
   * The default branch (Go's `default`, tokio's `else`): wins with value `undefined` when no
   * other branch is ready at once, so the select never waits. At most one per select.
   *
   * @example
   * ```ts
   * import { mpsc, select } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * await select({ msg: rx, idle: select.default() }); // => { key: 'idle', value: undefined }
   * tx.trySend(5);
   * await select({ msg: rx, idle: select.default() }); // => { key: 'msg', value: 5 }
   * ```
   */
  default(): Branch<undefined>;
}

interface Plan {
  readonly keys: string[];
  readonly branches: Branch<unknown>[];
  /** Poll order, reshuffled before every poll. */
  readonly order: number[];
  readonly defaultKey: string | undefined;
}

const RESOLVED: Promise<void> = Promise.resolve();

function run<B extends Branches>(branches: B, options?: SelectOptions): Promise<SelectResult<B>> {
  let plan: Plan;
  let signal: AbortSignal | undefined;
  try {
    plan = planOf(branches);
    signal = options === undefined ? undefined : checkSignal(options.signal);
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
  try {
    const won = poll(plan);
    if (won !== null) return Promise.resolve(won as SelectResult<B>);
  } catch (error) {
    return Promise.reject(error);
  }
  if (plan.defaultKey !== undefined) return Promise.resolve({ key: plan.defaultKey, value: undefined } as SelectResult<B>);
  return wait(plan, signal) as Promise<SelectResult<B>>;
}

/**
 * Polls every branch once, in a fresh random order (fairness among ready branches, as Go's
 * select), and stops at the first that completes: only that one consumed or sent anything.
 */
function poll(plan: Plan): { key: string; value: unknown } | null {
  const { order, branches } = plan;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (const i of order) {
    const value = branches[i][selectPoll]();
    if (value !== NOT_READY) return { key: plan.keys[i], value };
  }
  return null;
}

/** Nothing was ready: watch every branch, poll again after each wake, until one completes. */
function wait(plan: Plan, signal: AbortSignal | undefined): Promise<{ key: string; value: unknown }> {
  return new Promise((resolve, reject) => {
    const cancels: (() => void)[] = [];
    let scheduled = false;
    let settled = false;
    const unwatch = (): void => {
      for (const cancel of cancels) cancel();
      cancels.length = 0;
    };
    const finish = (): void => {
      settled = true;
      unwatch();
      signal?.removeEventListener('abort', onAbort);
    };
    const repoll = (): void => {
      scheduled = false;
      if (settled) return;
      unwatch();
      let won: { key: string; value: unknown } | null;
      try {
        won = poll(plan);
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (won === null) watch();
      else {
        finish();
        resolve(won);
      }
    };
    // Called inside a channel's state change: only schedule, never poll from here. A promise
    // job, not queueMicrotask, which jest's fake timers replace by default.
    const wake = (): void => {
      if (scheduled || settled) return;
      scheduled = true;
      void RESOLVED.then(repoll);
    };
    const watch = (): void => {
      for (const branch of plan.branches) cancels.push(branch[selectWatch](wake));
    };
    const onAbort = (): void => {
      if (settled) return;
      finish();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort);
    watch();
  });
}

function planOf(branches: unknown): Plan {
  if (typeof branches !== 'object' || branches === null) {
    throw new TypeError(`Expected \`branches\` to be an object of select branches, got ${show(branches)}`);
  }
  const keys: string[] = [];
  const list: Branch<unknown>[] = [];
  let defaultKey: string | undefined;
  for (const key of Object.keys(branches)) {
    const value = (branches as Record<string, unknown>)[key];
    if (value === undefined) continue; // a disabled branch
    const branch = checkBranch(`branches.${key}`, value);
    if (isDefaultBranch(branch)) {
      if (defaultKey !== undefined) {
        throw new TypeError(`Expected at most one select.default() branch, got \`${defaultKey}\` and \`${key}\``);
      }
      defaultKey = key;
    } else {
      keys.push(key);
      list.push(branch);
    }
  }
  if (keys.length === 0 && defaultKey === undefined) {
    throw new TypeError(`Expected \`branches\` to have at least one enabled branch, got ${show(branches)}`);
  }
  return { keys, branches: list, order: list.map((_, i) => i), defaultKey };
}

/**
 * Waits on several channel operations at once and completes exactly one, as Go's `select` and
 * tokio's `select!`: receives (from any receiver), sends (`select.send`), a timeout
 * (`select.timeout`), an abort (`select.abort`), and a `select.default()` branch that wins when
 * nothing is ready.
 *
 * `select({ a: branchA, b: branchB, ... })` resolves with `{ key, value }` for the branch that
 * won, typed as a union over the keys, so `switch (result.key)` narrows `result.value`. A key
 * set to `undefined` is a disabled branch (Go's nil channel), handy in loops:
 * `{ msg: open ? rx : undefined }`.
 *
 * **Fairness:** branches are polled in a new random order every time, so among branches that
 * are ready together each wins equally often; none can starve another.
 *
 * **Cancel safety:** a branch completes only when it wins: the branches that lose receive and
 * send nothing (their values stay in their channels; their values to send were not sent). The
 * select polls the branches synchronously and, when none is ready, watches them and polls
 * again on each change; nothing is ever started and undone.
 *
 * **Cancellation:** `options.signal` aborting (or already aborted) rejects with
 * `signal.reason`; every branch is left untouched, and every timer and listener is removed.
 * They are removed as well whenever the select settles.
 *
 * **Errors:** `TypeError` for a malformed `branches` object (no enabled branch, a value that
 * is not a branch, such as a bare sender instead of `select.send(tx, value)`, two defaults). A branch that fails while completing (`SendError` from a closed
 * channel, the reason of a channel failed by `error(e)`) rejects the select with that error.
 *
 * @example
 * ```ts
 * import { mpsc, select } from 'rxjs-channel';
 * const [numTx, numbers] = mpsc.channel<number>(4);
 * const [, words] = mpsc.channel<string>(4);
 * numTx.trySend(42);
 * const result = await select({ n: numbers, w: words, late: select.timeout(1000) });
 * result; // => { key: 'n', value: 42 }
 * let label = '';
 * switch (result.key) {
 *   case 'n': label = `number ${result.value}`; break;     // result.value: number | undefined
 *   case 'w': label = `word ${result.value}`; break;       // result.value: string | undefined
 *   case 'late': label = 'timed out'; break;
 * }
 * label; // => 'number 42'
 * ```
 */
export const select: Select = Object.assign(run, { recv, send, timeout, abort, default: defaultBranch });
