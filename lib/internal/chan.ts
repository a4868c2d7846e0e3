import { ChannelOverflowError, SendError } from '../errors.js';
import { deliver } from './deliver.js';
import { RingBuffer } from './ring-buffer.js';
import { scheduleHook, type ScheduleHook } from './schedule.js';
import { NOT_READY } from './selectable.js';
import { Slots } from './slots.js';
import { WaiterList, type WaiterNode } from './waiter-list.js';

/**
 * The state machine behind a bounded (or unbounded) multi-producer queue: the slot accounting
 * it extends ({@link Slots}: bound, permits, waiting sends and reserves), a ring buffer, a FIFO
 * of waiting receives and at most one synchronous sink (an RxJS subscriber). Channel kinds
 * wrap it in their handles; it knows nothing of them.
 *
 * Invariants, kept synchronously by every method:
 * - `taken = length + permits + lent <= bound`;
 * - waiting senders exist only while no slot is free (no barging: a freed slot is handed to
 *   the longest-waiting sender in the same step that frees it, by `Slots.release`);
 * - waiting receives exist only while the buffer is empty, and a value reaching the channel
 *   goes to the oldest of them in the same step that settles its promise (atomic hand-off);
 * - with a sink attached and no delivery in progress, the buffer is empty.
 */

/**
 * The synchronous consumer a channel pushes to: an RxJS `Subscriber`, or a kind's own
 * dispatcher (mpmc shares one channel among several subscribers).
 */
export interface Sink<T> {
  next(value: T): void;
  error(reason: unknown): void;
  complete(): void;
}

/** What a channel does with a value that finds no free slot. */
export type OverflowPolicy = 'wait' | 'dropOldest' | 'dropNewest';

/** Per-channel settings, shared across channels when the defaults are used. */
export interface ChanConfig<T, P = unknown> {
  readonly overflow: OverflowPolicy;
  readonly onDrop: ((value: T) => void) | undefined;
  readonly maxPendingSends: number;
  /** Builds the permit handed out by `reserve`; the kind supplies its own class. */
  readonly permit: (chan: Chan<T, P>) => P;
}

/** How a receive's result is shaped: a bare value, an iterator result, or a batch. */
export const RECV_VALUE = 0;
export const RECV_ITER = 1;
export const RECV_MANY = 2;
export type RecvMode = typeof RECV_VALUE | typeof RECV_ITER | typeof RECV_MANY;

const SEND = 3;
const RESERVE = 4;
type WaiterKind = RecvMode | typeof SEND | typeof RESERVE;

const OPEN = 0;
const CLOSED = 1;
const ERRORED = 2;

const STATE = 3;
const DELIVERING = 4;
const RECHECK = 8;
const BUSY = DELIVERING | RECHECK;

/** The rarely touched part of a channel's state. */
interface Extra {
  weak: number;
  reason: unknown;
  closed: Promise<void> | null;
  resolveClosed: (() => void) | null;
  /** Selects waiting to receive (a value or the end); null when there are none. */
  watchers: Set<() => void> | null;
  /** Closes the open recvMany batch (see `Chan.#batch`); made once per channel. */
  closeBatch: (() => void) | null;
  /** The open batch's limit. */
  batchLimit: number;
}

/** One resolved promise shared by every send that finds room: the fast path allocates none. */
export const RESOLVED: Promise<void> = Promise.resolve();
const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });

/**
 * A pending send, reserve or receive. It is its own list node and its own abort listener
 * (`handleEvent`), so a wait costs this object and its promise, no closures beyond the
 * promise executor.
 */
class Waiter<T> implements WaiterNode {
  prev: WaiterNode | null = null;
  next: WaiterNode | null = null;
  list: WaiterList<WaiterNode> | null = null;
  resolve!: (value: never) => void;
  reject!: (reason: unknown) => void;

  constructor(
    readonly chan: Chan<T, unknown>,
    readonly kind: WaiterKind,
    readonly value: T | undefined,
    readonly signal: AbortSignal | undefined,
    /** Who is receiving (an iterator, a receiver handle): `cancelRecvs(owner)` ends its waits alone. */
    readonly owner: object | null,
    /** For `RECV_MANY`: the most values the batch may take. */
    readonly limit: number,
  ) {}

  /** The abort listener: leave the queue, reject with the signal's reason. */
  handleEvent(): void {
    const list = this.list;
    if (list === null) return; // already settled: the hand-off won, the abort changes nothing
    list.remove(this);
    unlisten(this);
    this.reject(this.signal!.reason);
    this.chan.settle(); // a send that left may have been the last thing keeping the channel open
  }
}

export class Chan<T, P = unknown> extends Slots<Waiter<T>> {
  readonly config: ChanConfig<T, P>;
  /** Live strong sender handles. */
  strong = 1;

  #buffer: RingBuffer<T> | null = null;
  #receivers: WaiterList<Waiter<T>> | null = null;
  #sink: Sink<T> | null = null;
  /**
   * The batch of a `recvMany` that was handed a value and whose continuation has not run yet:
   * values arriving meanwhile join it (up to its limit) instead of the buffer, so a woken
   * `recvMany` takes what came while it was being woken. Each value still leaves the channel in
   * the same step that puts it in a resolved batch (atomic hand-off).
   */
  #batch: T[] | null = null;
  /** Lifecycle (OPEN, CLOSED, ERRORED) in the low bits, DELIVERING / RECHECK above them. */
  #flags = OPEN;
  /** Rarely used state, allocated on first use so an idle channel stays small. */
  #extra: Extra | null = null;

  constructor(bound: number, config: ChanConfig<T, P>) {
    super(bound);
    this.config = config;
  }

  protected get maxPending(): number {
    return this.config.maxPendingSends;
  }

  /** Live weak sender handles. */
  get weak(): number {
    return this.#extra === null ? 0 : this.#extra.weak;
  }

  set weak(count: number) {
    this.#extraState().weak = count;
  }

  #extraState(): Extra {
    return (this.#extra ??= { weak: 0, reason: undefined, closed: null, resolveClosed: null, watchers: null, closeBatch: null, batchLimit: 0 });
  }

  // ---- observation -------------------------------------------------------------------------

  get length(): number {
    return this.#buffer === null ? 0 : this.#buffer.length;
  }

  /** Free slots: neither buffered, reserved nor lent. */
  get capacity(): number {
    return this.free;
  }

  /** Sends and reserves waiting for a slot. */
  get pendingSends(): number {
    return this.pending;
  }

  get pendingRecvs(): number {
    return this.#receivers === null ? 0 : this.#receivers.length;
  }

  /** The receiving side is closed (`close()` or `error(e)`): sends are refused. */
  get isSendClosed(): boolean {
    return (this.#flags & STATE) !== OPEN;
  }

  /** No further value can arrive; buffered values may remain. */
  get isFinished(): boolean {
    return ((this.#flags & STATE) !== OPEN || this.strong === 0) && this.permits === 0 && this.lent === 0 && this.pending === 0;
  }

  /** Finished and drained: every consumer sees the end (or the error). */
  get isDone(): boolean {
    return this.length === 0 && this.isFinished;
  }

  get sink(): Sink<T> | null {
    return this.#sink;
  }

  /** Attaches (or detaches, with null) the synchronous consumer and delivers what is buffered. */
  set sink(subscriber: Sink<T> | null) {
    this.#sink = subscriber;
    if (subscriber !== null) this.settle();
  }

  // ---- sending -----------------------------------------------------------------------------

  /**
   * Queues `value` if a slot is free; applies the overflow policy otherwise. Throws what a
   * throwing `onDrop` threw, with the new value not queued.
   */
  trySend(value: T): boolean {
    if ((this.#flags & STATE) !== OPEN) throw new SendError(value);
    if (this.taken < this.bound) {
      this.#accept(value);
      return true;
    }
    return this.config.overflow === 'wait' ? false : this.#overflow(value);
  }

  send(value: T, signal: AbortSignal | undefined): Promise<void> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if ((this.#flags & STATE) !== OPEN) return Promise.reject(new SendError(value));
    if (this.taken < this.bound) {
      this.#accept(value);
      return RESOLVED;
    }
    if (this.config.overflow !== 'wait') {
      try {
        this.#overflow(value);
      } catch (error) {
        return Promise.reject(error);
      }
      return RESOLVED;
    }
    const w = new Waiter(this, SEND, value, signal, null, 0);
    if (!this.enqueue(w)) return Promise.reject(new ChannelOverflowError(value, 'too many sends are already waiting'));
    return this.#wait(w);
  }

  /** Grants a permit now, or `undefined` when no slot is free. */
  tryReserve(): P | undefined {
    if ((this.#flags & STATE) !== OPEN) throw new SendError(undefined);
    if (!this.tryAcquire()) return undefined;
    this.permits++;
    return this.config.permit(this);
  }

  reserve(signal: AbortSignal | undefined): Promise<P> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if ((this.#flags & STATE) !== OPEN) return Promise.reject(new SendError(undefined));
    if (this.tryAcquire()) {
      this.permits++;
      return Promise.resolve(this.config.permit(this));
    }
    const w = new Waiter(this, RESERVE, undefined, signal, null, 0);
    if (!this.enqueue(w)) return Promise.reject(new ChannelOverflowError(undefined, 'too many sends are already waiting'));
    return this.#wait(w);
  }

  /** A permit's slot is filled with `value`. Allowed after close: the slot was granted before. */
  sendPermit(value: T): void {
    this.permits--;
    this.taken--;
    this.#accept(value); // takes the slot again if the value is buffered
    this.settle(); // handed straight to a receive or the sink, it freed the slot: dispatch it
  }

  /**
   * Values handed to a consumer that is gone before it took them come back ahead of every
   * value still buffered, oldest first: they left the buffer before those did. Each holds a
   * slot lent out (`lent`); the slot becomes the value's again. Allowed after close.
   */
  requeue(values: readonly T[]): void {
    const count = values.length;
    if (count === 0) return;
    this.lent -= count;
    if (this.length === 0) {
      this.placeHeld(values); // nothing buffered: waiting receives or the sink take them first
      return;
    }
    const buffer = this.#buffer!;
    for (let i = count - 1; i >= 0; i--) buffer.unshift(values[i]!);
    this.settle();
  }

  /**
   * Places `values`, in order, in slots already taken for them (`taken` counts them: slots
   * lent to another thread, or a receiving thread's window), as that many `sendPermit`s would,
   * with one settle for the batch. Allowed after close: the slots were granted before.
   */
  placeHeld(values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) {
      this.taken--;
      this.#accept(values[i] as T); // takes the slot again if the value is buffered
    }
    this.settle();
  }

  /** A permit gives its slot back unused. */
  releasePermit(): void {
    this.permits--;
    this.release(1);
    this.settle();
  }

  dropSender(): void {
    if (--this.strong === 0) this.settle();
  }

  /** A slot was taken for a waiting send or reserve (called by `Slots.dispatch`). */
  protected grant(w: Waiter<T>): void {
    unlisten(w);
    if (w.kind === SEND) {
      this.taken--; // #accept takes it back if the value is buffered
      this.#accept(w.value as T);
      w.resolve(undefined as never);
    } else {
      this.permits++;
      w.resolve(this.config.permit(this) as never);
    }
  }

  // ---- receiving ---------------------------------------------------------------------------

  tryRecv(): T | undefined {
    if (this.length === 0) return undefined;
    const value = this.#buffer!.shift();
    this.release(1);
    return value;
  }

  /**
   * Takes a value (`RECV_VALUE`, `RECV_ITER`) or up to `limit` values (`RECV_MANY`) now, or
   * waits for the next one. At the end: `undefined`, a done result or `[]`; after `error(e)`,
   * a rejection with `e`. `owner` tags the wait for {@link Chan.cancelRecvs}.
   */
  recv(mode: RecvMode, signal: AbortSignal | undefined, limit = 1, owner: object | null = null): Promise<never> {
    return mode === RECV_VALUE
      ? this.recvValue(signal, owner)
      : mode === RECV_ITER
        ? this.recvIter(signal, owner)
        : this.recvMany(limit, signal, owner);
  }

  // One method per result shape: a single method returning values, iterator results and arrays
  // from the same `Promise.resolve` site measured 30% slower per receive.

  /** `recv` resolving the value itself (`undefined` at the end). */
  recvValue(signal: AbortSignal | undefined, owner: object | null = null): Promise<never> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    const buffer = this.#buffer;
    if (buffer === null || buffer.length === 0) return this.#recvWait(RECV_VALUE, signal, owner, 1);
    const value = buffer.shift();
    this.release(1);
    return Promise.resolve(value as never);
  }

  /** `recv` resolving an iterator result (`done` at the end). */
  recvIter(signal: AbortSignal | undefined, owner: object | null = null): Promise<never> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    const buffer = this.#buffer;
    if (buffer === null || buffer.length === 0) return this.#recvWait(RECV_ITER, signal, owner, 1);
    const value = buffer.shift();
    this.release(1);
    return Promise.resolve({ value, done: false } as never);
  }

  /** `recv` resolving a batch of up to `limit` values (`[]` at the end). */
  recvMany(limit: number, signal: AbortSignal | undefined, owner: object | null = null): Promise<never> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    const buffer = this.#buffer;
    if (buffer === null || buffer.length === 0) return this.#recvWait(RECV_MANY, signal, owner, limit);
    const count = Math.min(limit, buffer.length);
    const batch = new Array<T>(count);
    for (let i = 0; i < count; i++) batch[i] = buffer.shift();
    this.release(count);
    return Promise.resolve(batch as never);
  }

  /** Nothing buffered: the end (or the error) if no value can come, else wait for one. */
  #recvWait(mode: RecvMode, signal: AbortSignal | undefined, owner: object | null, limit: number): Promise<never> {
    if (this.isFinished) return this.#end(mode);
    const w = new Waiter(this, mode, undefined, signal, owner, limit);
    (this.#receivers ??= new WaiterList()).push(w);
    return this.#wait(w);
  }

  /**
   * Ends pending receives as if the channel had ended, consuming nothing: those of `owner`
   * (an iterator's `return()`), those whose owner `match` accepts (a dropped mpmc handle and
   * its iterators), or all of them.
   */
  cancelRecvs(owner?: object | ((owner: object | null) => boolean)): void {
    const receivers = this.#receivers;
    if (receivers === null || receivers.length === 0) return;
    const match = typeof owner === 'function' ? owner : undefined;
    const mine: Waiter<T>[] = [];
    for (let w = receivers.peek(); w !== null; w = w.next as Waiter<T> | null) {
      if (owner === undefined || (match !== undefined ? match(w.owner) : w.owner === owner)) mine.push(w);
    }
    for (const w of mine) {
      receivers.remove(w);
      unlisten(w);
      w.resolve(endValue(w.kind as RecvMode) as never);
    }
  }

  // ---- select ------------------------------------------------------------------------------

  /**
   * A receive for `select`, completed now or not at all: a buffered value, `undefined` at the
   * end, a throw after `error(e)`, or `NOT_READY` with nothing changed.
   */
  pollRecv(): T | undefined | typeof NOT_READY {
    if (this.length !== 0) return this.tryRecv();
    if (!this.isFinished) return NOT_READY;
    if ((this.#flags & STATE) === ERRORED) throw this.#extra!.reason;
    return undefined;
  }

  /** As {@link Chan.pollRecv}, with the end told apart from an `undefined` value: a done result. */
  pollIter(): IteratorResult<T> | typeof NOT_READY {
    if (this.length !== 0) return { value: this.tryRecv() as T, done: false };
    if (!this.isFinished) return NOT_READY;
    if ((this.#flags & STATE) === ERRORED) throw this.#extra!.reason;
    return DONE;
  }

  /**
   * A send for `select`, completed now or not at all: `undefined` once `value` is in the
   * channel (a drop policy never waits), `NOT_READY` with nothing changed when no slot is free,
   * a throw of `SendError` when the receiving side is closed.
   */
  pollSend(value: T): undefined | typeof NOT_READY {
    if ((this.#flags & STATE) !== OPEN) throw new SendError(value);
    if (this.taken < this.bound) this.#accept(value);
    else if (this.config.overflow === 'wait') return NOT_READY;
    else this.#overflow(value);
    return undefined;
  }

  /**
   * Calls `wake` once when a receive may complete (a value was buffered, the channel ended).
   * `wake` runs inside the state change: it must only schedule work, never call back in.
   * Returns the cancel function.
   */
  watchRecv(wake: () => void): () => void {
    const extra = this.#extraState();
    (extra.watchers ??= new Set()).add(wake);
    return () => void extra.watchers?.delete(wake);
  }

  /** As {@link Chan.watchRecv}, for a send: a slot was freed or the receiving side closed. */
  watchSend(wake: () => void): () => void {
    return this.watch(wake);
  }

  #wakeRecv(): void {
    const extra = this.#extra;
    const set = extra === null ? null : extra.watchers;
    if (set === null) return;
    extra!.watchers = null; // a wake is spent; a select that wants more registers again
    for (const wake of set) wake();
  }

  // ---- closing -----------------------------------------------------------------------------

  /** Receiver-side close: refuse new sends, keep buffered values. The first close/error wins. */
  close(): void {
    if ((this.#flags & STATE) !== OPEN) return;
    this.#flags |= CLOSED;
    this.#shutDown();
  }

  /** Closes for everyone with `reason`: receivers drain, then fail with it. */
  error(reason: unknown): void {
    if ((this.#flags & STATE) !== OPEN) return;
    this.#flags |= ERRORED;
    this.#extraState().reason = reason;
    this.#shutDown();
  }

  /** Resolves once the receiving side is closed. */
  closed(): Promise<void> {
    if ((this.#flags & STATE) !== OPEN) return RESOLVED;
    const extra = this.#extraState();
    return (extra.closed ??= new Promise<void>((resolve) => (extra.resolveClosed = resolve)));
  }

  /**
   * Brings everything up to date after a state change: grants freed slots, delivers buffered
   * values to the sink and, once finished and drained, ends the receives and the sink.
   * Re-entrant calls (from inside a subscriber) just ask the running loop to go round again.
   */
  settle(): void {
    if ((this.#flags & BUSY) !== 0) {
      this.#flags |= RECHECK;
      return;
    }
    try {
      do {
        this.#flags = (this.#flags & STATE) | DELIVERING;
        this.dispatch();
        for (let sink = this.#sink; sink !== null && this.length !== 0; sink = this.#sink) {
          const value = this.#buffer!.shift();
          this.release(1);
          deliver(sink, value);
        }
        if (this.isDone) this.#finish();
      } while (this.#flags & RECHECK);
    } finally {
      this.#flags &= STATE;
    }
  }

  // ---- machinery ---------------------------------------------------------------------------

  /**
   * Places `value`, for which the caller found a free slot: to the oldest waiting receive, to
   * the open batch, to the sink, or into the buffer (the only case that takes the slot).
   */
  #accept(value: T): void {
    const receivers = this.#receivers;
    if (receivers !== null && receivers.length !== 0) {
      const w = receivers.shift()!;
      unlisten(w);
      if (w.kind === RECV_MANY) {
        const batch = [value];
        if (w.limit > 1) this.#openBatch(batch, w.limit);
        w.resolve(batch as never);
      } else {
        w.resolve((w.kind === RECV_ITER ? { value, done: false } : value) as never);
      }
      return;
    }
    const batch = this.#batch;
    if (batch !== null) {
      batch.push(value);
      if (batch.length >= this.#extra!.batchLimit) this.#batch = null;
      return;
    }
    const sink = this.#sink;
    if (sink !== null && (this.#flags & BUSY) === 0 && this.length === 0) {
      // Same synchronous step as the send, as a Subject does: a synchronous subscriber never
      // lets the buffer fill.
      this.#flags |= DELIVERING;
      try {
        deliver(sink, value);
      } finally {
        const again = (this.#flags & RECHECK) !== 0 || this.length !== 0;
        this.#flags &= STATE;
        if (again) this.settle();
      }
      return;
    }
    (this.#buffer ??= new RingBuffer(this.bound)).push(value);
    this.taken++;
    this.#wakeRecv();
    if (sink !== null && (this.#flags & BUSY) === 0) this.settle();
  }

  /**
   * Keeps `batch` open until just before its receiver's continuation runs: the closing job is
   * queued before the batch's promise resolves, so it runs first.
   */
  #openBatch(batch: T[], limit: number): void {
    this.#batch = batch;
    const extra = this.#extraState();
    extra.batchLimit = limit;
    void RESOLVED.then((extra.closeBatch ??= () => void (this.#batch = null)));
  }

  /**
   * Overflow under a drop policy; returns whether `value` was queued. `onDrop` runs before the
   * new value is queued: if it throws, the error propagates and `value` is not queued (the
   * evicted value stays dropped, as the policy said), so a caller that retries sends it once.
   */
  #overflow(value: T): boolean {
    const onDrop = this.config.onDrop;
    const buffer = this.#buffer;
    if (this.config.overflow === 'dropNewest' || buffer === null || buffer.length === 0) {
      // dropOldest with nothing buffered (every slot is a granted permit): the new value goes.
      if (onDrop !== undefined) onDrop(value);
      return false;
    }
    const evicted = buffer.shift();
    if (onDrop !== undefined) {
      try {
        onDrop(evicted);
      } catch (error) {
        this.release(1); // the evicted value's slot is free; a waiting reserve may take it
        throw error;
      }
    }
    buffer.push(value);
    return true;
  }

  #wait(w: Waiter<T>): Promise<never> {
    const promise = new Promise<never>((resolve, reject) => {
      w.resolve = resolve;
      w.reject = reject;
    });
    const hook = scheduleHook();
    if (hook !== undefined) hookSettlement(w, hook);
    if (w.signal !== undefined) w.signal.addEventListener('abort', w);
    return promise;
  }

  #end(mode: RecvMode): Promise<never> {
    return (this.#flags & STATE) === ERRORED ? Promise.reject(this.#extra!.reason) : Promise.resolve(endValue(mode) as never);
  }

  #finish(): void {
    this.#wakeRecv();
    const receivers = this.#receivers;
    if (receivers !== null) {
      for (let w = receivers.shift(); w !== null; w = receivers.shift()) {
        unlisten(w);
        if ((this.#flags & STATE) === ERRORED) w.reject(this.#extra!.reason);
        else w.resolve(endValue(w.kind as RecvMode) as never);
      }
    }
    const sink = this.#sink;
    if (sink !== null) {
      this.#sink = null;
      if ((this.#flags & STATE) === ERRORED) sink.error(this.#extra!.reason);
      else sink.complete();
    }
  }

  #shutDown(): void {
    this.wakeWatchers();
    this.drain((w) => {
      unlisten(w);
      w.reject(new SendError(w.value));
    });
    const extra = this.#extra;
    if (extra !== null && extra.resolveClosed !== null) {
      extra.resolveClosed();
      extra.resolveClosed = null;
      extra.closed = null;
    }
    this.settle();
  }
}

/**
 * A test harness's hook is installed (only waits check, never a fast path): the waiter's
 * settlement goes through it, so the harness chooses when the waiting party resumes. The
 * hand-off itself stays atomic: the state changes when `resolve` is called, as without a hook.
 */
function hookSettlement<T>(w: Waiter<T>, hook: ScheduleHook): void {
  const { resolve, reject } = w;
  const what = w.kind === SEND ? 'send' : w.kind === RESERVE ? 'reserve' : 'recv';
  w.resolve = (value) => hook(() => resolve(value), what, w.chan);
  w.reject = (reason) => hook(() => reject(reason), what, w.chan);
}

function unlisten<T>(w: Waiter<T>): void {
  if (w.signal !== undefined) w.signal.removeEventListener('abort', w);
}

function endValue(mode: RecvMode): unknown {
  return mode === RECV_ITER ? DONE : mode === RECV_MANY ? [] : undefined;
}
