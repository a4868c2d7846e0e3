import { NOT_READY, selectPoll, selectWatch, type Selectable } from '../internal/selectable.js';
import { senderKind } from '../internal/brand.js';
import { show } from '../internal/validate.js';
import type { Sender } from '../mpsc/sender.js';

/**
 * An operation {@link select} can wait on; `R` is the value it yields when its branch wins.
 * Every receiver of this library is a `Branch` of what its receive yields (mpsc and mpmc:
 * `T | undefined`, `undefined` meaning the channel ended); `select.send`, `select.timeout`,
 * `select.abort` and `select.default` make the others.
 */
export type Branch<R> = Selectable<R>;

/** What {@link checkBranch}'s errors say a branch is. */
const BRANCH = 'to be a select branch (a receiver, or select.send/timeout/abort/default)';

/**
 * Throws unless `value` speaks the select protocol and is not a sender: an mpsc or mpmc
 * sender has the protocol's methods (for `select.send`), but polled bare it would send
 * `undefined`.
 */
export function checkBranch(name: string, value: unknown): Branch<unknown> {
  if (senderKind(value) !== undefined) {
    throw new TypeError(
      `Expected \`${name}\` ${BRANCH}, got a sender ${show(value)}; to send on an mpsc or mpmc channel, use select.send(tx, value)`,
    );
  }
  const candidate = value as Partial<Branch<unknown>> | null;
  if (
    (typeof value !== 'object' && typeof value !== 'function') ||
    candidate === null ||
    typeof candidate[selectPoll] !== 'function' ||
    typeof candidate[selectWatch] !== 'function'
  ) {
    throw new TypeError(`Expected \`${name}\` ${BRANCH}, got ${show(value)}`);
  }
  return value as Branch<unknown>;
}

const noop = (): void => {};

/** The longest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Brand of `select.default()` branches (a registered symbol, shared by both module builds). */
export const DEFAULT_BRANCH: unique symbol = Symbol.for('rxjs-channel.selectDefault') as never;

/** Whether `branch` is a `select.default()` branch, from either build. */
export function isDefaultBranch(branch: unknown): boolean {
  return (branch as { [DEFAULT_BRANCH]?: unknown })[DEFAULT_BRANCH] === true;
}

/** Sends a value bound to it; only a winning poll sends. */
class SendBranch<T> implements Branch<undefined> {
  readonly #tx: Sender<T>;
  readonly #value: T;

  constructor(tx: Sender<T>, value: T) {
    this.#tx = tx;
    this.#value = value;
  }

  [selectPoll](): undefined | typeof NOT_READY {
    return this.#tx[selectPoll](this.#value);
  }

  [selectWatch](wake: () => void): () => void {
    return this.#tx[selectWatch](wake);
  }
}

/** Wins once `ms` have passed since the first select it took part in started waiting. */
class TimeoutBranch implements Branch<undefined> {
  readonly #ms: number;
  /** Set by the first wait; `undefined` until then (any number is a deadline: clocks may read before 1970). */
  #deadline: number | undefined;
  #fired = false;

  constructor(ms: number) {
    this.#ms = ms;
  }

  [selectPoll](): undefined | typeof NOT_READY {
    return this.#fired ? undefined : NOT_READY;
  }

  [selectWatch](wake: () => void): () => void {
    if (this.#fired) {
      wake();
      return noop;
    }
    if (this.#ms === Infinity) return noop; // never fires
    // The deadline is fixed once, so a timeout reused across selects (an overall deadline for a
    // loop, as Go's `time.After`) keeps counting from the first wait.
    const deadline = (this.#deadline ??= Date.now() + this.#ms);
    let id: ReturnType<typeof setTimeout> | undefined;
    // setTimeout takes at most 2^31 - 1 ms (longer fires at once): wait in steps of that.
    const arm = (): void => {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#fired = true;
        wake();
        return;
      }
      id = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
    return () => clearTimeout(id);
  }
}

/** Wins once `signal` is aborted, with its reason. */
class AbortBranch implements Branch<unknown> {
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  [selectPoll](): unknown {
    return this.#signal.aborted ? this.#signal.reason : NOT_READY;
  }

  [selectWatch](wake: () => void): () => void {
    const signal = this.#signal;
    signal.addEventListener('abort', wake);
    return () => signal.removeEventListener('abort', wake);
  }
}

/** Wins when no other branch is ready at the first poll; `select` never waits with one. */
export class DefaultBranch implements Branch<undefined> {
  /** Recognised by `select` across module builds. */
  get [DEFAULT_BRANCH](): true {
    return true;
  }

  [selectPoll](): undefined {
    return undefined;
  }

  [selectWatch](): () => void {
    return noop;
  }
}

export function recv<R>(rx: Branch<R>): Branch<R> {
  return checkBranch('rx', rx) as Branch<R>;
}

export function send<T>(tx: Sender<T>, value: T): Branch<undefined> {
  // A registered brand, not instanceof: a Sender made by the other module build works too.
  if (senderKind(tx) !== 'mpsc' || typeof (tx as unknown as Partial<Branch<undefined>>)[selectPoll] !== 'function') {
    throw new TypeError(`Expected \`tx\` to be an mpsc or mpmc Sender, got ${show(tx)}`);
  }
  return new SendBranch(tx, value);
}

export function timeout(ms: number): Branch<undefined> {
  if (typeof ms !== 'number') throw new TypeError(`Expected \`ms\` to be a number >= 0 or Infinity, got ${show(ms)}`);
  if (Number.isNaN(ms) || ms < 0) throw new RangeError(`Expected \`ms\` to be a number >= 0 or Infinity, got ${show(ms)}`);
  return new TimeoutBranch(ms);
}

export function abort(signal: AbortSignal): Branch<unknown> {
  if (!(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${show(signal)}`);
  }
  return new AbortBranch(signal);
}

export function defaultBranch(): Branch<undefined> {
  return new DefaultBranch();
}
