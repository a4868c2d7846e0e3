import { ChannelOverflowError, SendError } from '../errors.js';
import { RingBuffer } from './ring-buffer.js';
import { NOT_READY } from './selectable.js';
import { WaiterList, type WaiterNode } from './waiter-list.js';

/**
 * The state machine behind a bounded (or unbounded) multi-producer queue: a ring buffer, a
 * FIFO of waiting senders, a FIFO of waiting receives and at most one synchronous sink (an
 * RxJS subscriber). Channel kinds wrap it in their handles; it knows nothing of them.
 *
 * Invariants, kept synchronously by every method:
 * - `length + reserved <= bound`: a slot is taken by a buffered value or a granted permit.
 * - waiting senders exist only while no slot is free (no barging: a freed slot is handed to
 *   the longest-waiting sender in the same step that frees it);
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

/** A `select` waiting for a channel to become ready; one object per registration. */
interface Watch {
  readonly wake: () => void;
}

/** The selects waiting on a channel: to receive (a value or the end) or to send (a free slot or the close). */
interface Watchers {
  recv: Set<Watch> | null;
  send: Set<Watch> | null;
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
  /** Selects waiting for readiness; null when there are none. */
  watchers: Watchers | null;
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

export class Chan<T, P = unknown> {
  /** Maximum number of slots; `Infinity` for an unbounded channel. */
  readonly bound: number;
  readonly config: ChanConfig<T, P>;
  /** Permits granted and not yet used or released; each holds a slot. */
  reserved = 0;
  /** Live strong sender handles. */
  strong = 1;

  #buffer: RingBuffer<T> | null = null;
  #senders: WaiterList<Waiter<T>> | null = null;
  #receivers: WaiterList<Waiter<T>> | null = null;
  #sink: Sink<T> | null = null;
  /** Lifecycle (OPEN, CLOSED, ERRORED) in the low bits, DELIVERING / RECHECK above them. */
  #flags = OPEN;
  /** Rarely used state, allocated on first use so an idle channel stays small. */
  #extra: Extra | null = null;

  constructor(bound: number, config: ChanConfig<T, P>) {
    this.bound = bound;
    this.config = config;
  }

  /** Live weak sender handles. */
  get weak(): number {
    return this.#extra === null ? 0 : this.#extra.weak;
  }

  set weak(count: number) {
    this.#extraState().weak = count;
  }

  /** One check on the hot paths: is any select waiting on this channel? */
  #hasWatchers(): boolean {
    const extra = this.#extra;
    return extra !== null && extra.watchers !== null;
  }

  #extraState(): Extra {
    return (this.#extra ??= { weak: 0, reason: undefined, closed: null, resolveClosed: null, watchers: null });
  }

  // ---- observation -------------------------------------------------------------------------

  get length(): number {
    return this.#buffer === null ? 0 : this.#buffer.length;
  }

  /** Free slots: neither buffered nor reserved. */
  get capacity(): number {
    return this.bound - this.length - this.reserved;
  }

  get pendingSends(): number {
    return this.#senders === null ? 0 : this.#senders.length;
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
    return (
      ((this.#flags & STATE) !== OPEN || this.strong === 0) &&
      this.reserved === 0 &&
      (this.#senders === null || this.#senders.length === 0)
    );
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

  /** Queues `value` if a slot is free; applies the overflow policy otherwise. */
  trySend(value: T): boolean {
    if ((this.#flags & STATE) !== OPEN) throw new SendError(value);
    if (this.capacity > 0) {
      this.#accept(value);
      return true;
    }
    return this.config.overflow === 'wait' ? false : this.#overflow(value);
  }

  send(value: T, signal: AbortSignal | undefined): Promise<void> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if ((this.#flags & STATE) !== OPEN) return Promise.reject(new SendError(value));
    if (this.capacity > 0) {
      this.#accept(value);
      return RESOLVED;
    }
    if (this.config.overflow !== 'wait') {
      this.#overflow(value);
      return RESOLVED;
    }
    if (this.pendingSends >= this.config.maxPendingSends) {
      return Promise.reject(new ChannelOverflowError(value, 'too many sends are already waiting'));
    }
    return this.#wait((this.#senders ??= new WaiterList()), new Waiter(this, SEND, value, signal));
  }

  /** Grants a permit now, or `undefined` when no slot is free. */
  tryReserve(): P | undefined {
    if ((this.#flags & STATE) !== OPEN) throw new SendError(undefined);
    if (this.capacity <= 0) return undefined;
    this.reserved++;
    return this.config.permit(this);
  }

  reserve(signal: AbortSignal | undefined): Promise<P> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if ((this.#flags & STATE) !== OPEN) return Promise.reject(new SendError(undefined));
    if (this.capacity > 0) {
      this.reserved++;
      return Promise.resolve(this.config.permit(this));
    }
    if (this.pendingSends >= this.config.maxPendingSends) {
      return Promise.reject(new ChannelOverflowError(undefined, 'too many sends are already waiting'));
    }
    return this.#wait((this.#senders ??= new WaiterList()), new Waiter(this, RESERVE, undefined, signal));
  }

  /** A permit's slot is filled with `value`. Allowed after close: the slot was granted before. */
  sendPermit(value: T): void {
    this.reserved--;
    this.#accept(value);
    // Handed straight to a receive or the sink, the value frees the permit's slot: it goes to
    // the longest-waiting sender now, or a later trySend would barge ahead of it.
    if (this.reserved === 0 || this.pendingSends !== 0) this.settle();
  }

  /** A permit gives its slot back unused. */
  releasePermit(): void {
    this.reserved--;
    this.settle();
  }

  dropSender(): void {
    if (--this.strong === 0) this.settle();
  }

  // ---- receiving ---------------------------------------------------------------------------

  tryRecv(): T | undefined {
    if (this.length === 0) return undefined;
    const value = this.#buffer!.shift();
    this.#grant();
    return value;
  }

  /**
   * Takes a value (`RECV_VALUE`, `RECV_ITER`) or up to `limit` values (`RECV_MANY`) now, or
   * waits for the next one. At the end: `undefined`, a done result or `[]`; after `error(e)`,
   * a rejection with `e`.
   */
  recv(mode: RecvMode, signal: AbortSignal | undefined, limit = 1): Promise<never> {
    return mode === RECV_VALUE
      ? this.recvValue(signal)
      : mode === RECV_ITER
        ? this.recvIter(signal)
        : this.recvMany(limit, signal);
  }

  // One method per result shape: a single method returning values, iterator results and arrays
  // from the same `Promise.resolve` site measured 30% slower per receive.

  /** `recv` resolving the value itself (`undefined` at the end). */
  recvValue(signal: AbortSignal | undefined): Promise<never> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    const buffer = this.#buffer;
    if (buffer === null || buffer.length === 0) return this.#recvWait(RECV_VALUE, signal);
    const value = buffer.shift();
    this.#grant();
    return Promise.resolve(value as never);
  }

  /** `recv` resolving an iterator result (`done` at the end). */
  recvIter(signal: AbortSignal | undefined): Promise<never> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    const buffer = this.#buffer;
    if (buffer === null || buffer.length === 0) return this.#recvWait(RECV_ITER, signal);
    const value = buffer.shift();
    this.#grant();
    return Promise.resolve({ value, done: false } as never);
  }

  /** `recv` resolving a batch of up to `limit` values (`[]` at the end). */
  recvMany(limit: number, signal: AbortSignal | undefined): Promise<never> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    const buffer = this.#buffer;
    if (buffer === null || buffer.length === 0) return this.#recvWait(RECV_MANY, signal);
    const count = Math.min(limit, buffer.length);
    const batch = new Array<T>(count);
    for (let i = 0; i < count; i++) batch[i] = buffer.shift();
    this.#grant();
    return Promise.resolve(batch as never);
  }

  /** Nothing buffered: the end (or the error) if no value can come, else wait for one. */
  #recvWait(mode: RecvMode, signal: AbortSignal | undefined): Promise<never> {
    if (this.isFinished) return this.#end(mode);
    return this.#wait((this.#receivers ??= new WaiterList()), new Waiter(this, mode, undefined, signal));
  }

  /** Ends every pending receive as if the channel had ended (used when an iterator returns). */
  cancelRecvs(): void {
    const receivers = this.#receivers;
    if (receivers === null) return;
    for (let w = receivers.shift(); w !== null; w = receivers.shift()) {
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

  /**
   * A send for `select`, completed now or not at all: `undefined` once `value` is in the
   * channel (a drop policy never waits), `NOT_READY` with nothing changed when no slot is free,
   * a throw of `SendError` when the receiving side is closed.
   */
  pollSend(value: T): undefined | typeof NOT_READY {
    if ((this.#flags & STATE) !== OPEN) throw new SendError(value);
    if (this.capacity > 0) this.#accept(value);
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
    const watchers = (this.#extraState().watchers ??= { recv: null, send: null });
    const watch: Watch = { wake };
    (watchers.recv ??= new Set()).add(watch);
    return () => void this.#extra?.watchers?.recv?.delete(watch);
  }

  /** As {@link Chan.watchRecv}, for a send: a slot was freed or the receiving side closed. */
  watchSend(wake: () => void): () => void {
    const watchers = (this.#extraState().watchers ??= { recv: null, send: null });
    const watch: Watch = { wake };
    (watchers.send ??= new Set()).add(watch);
    return () => void this.#extra?.watchers?.send?.delete(watch);
  }

  #wakeRecv(): void {
    const set = this.#extra!.watchers!.recv;
    if (set === null) return;
    this.#extra!.watchers!.recv = null; // a wake is spent; a select that wants more registers again
    for (const watch of set) watch.wake();
  }

  #wakeSend(): void {
    const set = this.#extra!.watchers!.send;
    if (set === null) return;
    this.#extra!.watchers!.send = null;
    for (const watch of set) watch.wake();
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
        this.#grant();
        for (let sink = this.#sink; sink !== null && this.length !== 0; sink = this.#sink) {
          const value = this.#buffer!.shift();
          this.#grant();
          sink.next(value);
        }
        if (this.isDone) this.#finish();
      } while (this.#flags & RECHECK);
    } finally {
      this.#flags &= STATE;
    }
  }

  // ---- machinery ---------------------------------------------------------------------------

  /** Puts `value` into a slot the caller has accounted for: a waiting receive, the sink, or the buffer. */
  #accept(value: T): void {
    const receivers = this.#receivers;
    if (receivers !== null && receivers.length !== 0) {
      const w = receivers.shift()!;
      unlisten(w);
      w.resolve((w.kind === RECV_ITER ? { value, done: false } : w.kind === RECV_MANY ? [value] : value) as never);
      return;
    }
    const sink = this.#sink;
    if (sink !== null && (this.#flags & BUSY) === 0 && this.length === 0) {
      // Same synchronous step as the send, as a Subject does: a synchronous subscriber never
      // lets the buffer fill.
      this.#flags |= DELIVERING;
      try {
        sink.next(value);
      } finally {
        const again = (this.#flags & RECHECK) !== 0 || this.length !== 0;
        this.#flags &= STATE;
        if (again) this.settle();
      }
      return;
    }
    (this.#buffer ??= new RingBuffer(this.bound)).push(value);
    if (this.#hasWatchers()) this.#wakeRecv();
    if (sink !== null && (this.#flags & BUSY) === 0) this.settle();
  }

  /** Overflow under a drop policy; returns whether `value` was queued. */
  #overflow(value: T): boolean {
    const onDrop = this.config.onDrop;
    const buffer = this.#buffer;
    if (this.config.overflow === 'dropNewest' || buffer === null || buffer.length === 0) {
      // dropOldest with nothing buffered (every slot is a granted permit): the new value goes.
      if (onDrop !== undefined) onDrop(value);
      return false;
    }
    const evicted = buffer.shift();
    buffer.push(value);
    if (onDrop !== undefined) onDrop(evicted);
    return true;
  }

  /** Hands freed slots to the longest-waiting senders, in order. */
  #grant(): void {
    // A select waiting to send may take a freed slot; if waiting senders take it first, its
    // poll finds none and it waits again (a spurious wake, never a barging one).
    if (this.#hasWatchers() && this.capacity > 0) this.#wakeSend();
    const senders = this.#senders;
    if (senders === null) return;
    while (senders.length !== 0 && this.capacity > 0) {
      const w = senders.shift()!;
      unlisten(w);
      if (w.kind === SEND) {
        this.#accept(w.value as T);
        w.resolve(undefined as never);
      } else {
        this.reserved++;
        w.resolve(this.config.permit(this) as never);
      }
    }
  }

  #wait(list: WaiterList<Waiter<T>>, w: Waiter<T>): Promise<never> {
    const promise = new Promise<never>((resolve, reject) => {
      w.resolve = resolve;
      w.reject = reject;
    });
    if (w.signal !== undefined) w.signal.addEventListener('abort', w);
    list.push(w);
    return promise;
  }

  #end(mode: RecvMode): Promise<never> {
    return (this.#flags & STATE) === ERRORED ? Promise.reject(this.#extra!.reason) : Promise.resolve(endValue(mode) as never);
  }

  #finish(): void {
    if (this.#hasWatchers()) this.#wakeRecv();
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
    if (this.#hasWatchers()) this.#wakeSend();
    const senders = this.#senders;
    if (senders !== null) {
      for (let w = senders.shift(); w !== null; w = senders.shift()) {
        unlisten(w);
        w.reject(new SendError(w.value));
      }
    }
    const extra = this.#extra;
    if (extra !== null && extra.resolveClosed !== null) {
      extra.resolveClosed();
      extra.resolveClosed = null;
      extra.closed = null;
    }
    this.settle();
  }
}

function unlisten<T>(w: Waiter<T>): void {
  if (w.signal !== undefined) w.signal.removeEventListener('abort', w);
}

function endValue(mode: RecvMode): unknown {
  return mode === RECV_ITER ? DONE : mode === RECV_MANY ? [] : undefined;
}
