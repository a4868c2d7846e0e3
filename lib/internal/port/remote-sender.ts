import { ChannelOverflowError, SendError } from '../../errors.js';
import { RESOLVED } from '../chan.js';
import { NOT_READY } from '../selectable.js';
import { FULL, Link, portPair, postValues, tick, type Batch, type Hello, type LinkHandler, type PortLike } from './link.js';

/**
 * The channel as a sender sees it from another thread: what an mpsc/mpmc `Sender` opened from a
 * port wraps in place of the channel itself (it has the members of `Chan` a sender uses).
 *
 * Slots: the owning thread lends this thread slots (credits) as if it were one more reserving
 * party in the channel's FIFO queue; a send that finds a credit turns it into a value at once
 * (and resolves), one that finds none waits here, in FIFO order, and asks for more. A run of
 * sends is asked for ahead (`window`), and credits left unused for a whole turn go back, so an
 * idle thread never sits on slots other producers wait for.
 */

/** Most slots a thread asks for ahead of its sends. */
const WINDOW = 1024;

const SEND = 0;
const RESERVE = 1;

class Pending<T> {
  resolve!: (value: never) => void;
  reject!: (reason: unknown) => void;
  constructor(
    readonly owner: RemoteSenderChan<T, unknown>,
    readonly kind: typeof SEND | typeof RESERVE,
    readonly value: T | undefined,
    readonly signal: AbortSignal | undefined,
    readonly transfer: readonly unknown[] | undefined,
  ) {}

  handleEvent(): void {
    this.owner.abandon(this);
    this.reject(this.signal!.reason);
  }
}

export class RemoteSenderChan<T, P> implements LinkHandler {
  bound: number;
  /** Live strong handles in this thread. */
  #strong = 1;
  /** Live weak handles in this thread. */
  weak = 0;
  #slotted = true;
  #maxPending = Infinity;
  #window = 1;
  /** The hello was read (at once in Node; on its arrival where no synchronous read exists). */
  #ready = false;
  readonly #makePermit: (chan: RemoteSenderChan<T, P>) => P;
  readonly #link: Link;
  #others: number;
  #credits = 0;
  #asked = 0;
  #queue: Pending<T>[] = [];
  #permits = 0;
  #closed = false;
  #gone = false;
  #closedPromise: Promise<void> | null = null;
  #resolveClosed: (() => void) | null = null;
  #watchers: Set<() => void> | null = null;
  // This turn's batch.
  #values: unknown[] = [];
  #ask = 0;
  #returned = 0;
  #delta = 0;
  #error: [unknown] | null = null;
  #ports: PortLike[] = [];
  /** The last strong handle was dropped: once nothing is pending, say so and close. */
  #ending = false;
  /** The last handle here was dropped (not moved on): the owner counts it down at the end. */
  #lastDropped = false;
  /** This thread lets go for good: the last batch says so (`x: 2`), before the port closes. */
  #letGo = false;
  #activity = 0;
  #idleCheck = false;

  constructor(port: PortLike, hello: Hello | null, kinds: readonly string[], makePermit: (chan: RemoteSenderChan<T, P>) => P) {
    this.#makePermit = makePermit;
    this.#link = new Link(port, this);
    this.#link.hold(false);
    this.bound = Infinity;
    this.#others = 0;
    // Where the hello cannot be read synchronously (browsers), sends wait until it comes.
    if (hello !== null) this.#init(hello);
    else this.#link.expectHello(kinds, 'sender', (h) => this.#init(h));
  }

  #init(hello: Hello): void {
    this.#ready = true;
    this.bound = hello.bound;
    this.#slotted = hello.slotted;
    this.#maxPending = hello.maxPending;
    this.#others = hello.others;
    this.#window = Math.min(WINDOW, this.bound);
    if (!this.#slotted) {
      this.#credits = Infinity;
      this.#grantWaiting();
    } else this.#want();
  }

  // ---- what a Sender reads ---------------------------------------------------------------

  get capacity(): number {
    return this.#slotted ? this.#credits : this.bound;
  }

  get pendingSends(): number {
    return this.#queue.length;
  }

  get isSendClosed(): boolean {
    return this.#closed;
  }

  /**
   * Strong senders of the whole channel: the others as last heard from the owning thread, and
   * this thread's own (0 once they all dropped). A handle that clones or upgrades adds one
   * (`strong++`), and the owning thread is told.
   */
  get strong(): number {
    return this.#strong === 0 ? 0 : this.#others + this.#strong;
  }

  set strong(count: number) {
    const added = count - this.strong;
    if (added <= 0) return;
    this.#strong += added;
    this.#delta += added;
    this.#link.wake();
  }

  /** Resolves once the receiving side closes; while awaited, the port keeps this thread alive. */
  closed(): Promise<void> {
    if (this.#closed) return RESOLVED;
    if (this.#closedPromise === null) {
      this.#closedPromise = new Promise<void>((resolve) => (this.#resolveClosed = resolve));
      this.#settle();
    }
    return this.#closedPromise;
  }

  // ---- sending -----------------------------------------------------------------------------

  trySend(value: T): boolean {
    if (this.#closed) throw new SendError(value);
    if (this.#queue.length !== 0 || this.#credits === 0) {
      this.#want();
      return false;
    }
    const error = this.#place(value, undefined);
    if (error !== null) throw error;
    return true;
  }

  send(value: T, signal: AbortSignal | undefined, transfer?: readonly unknown[]): Promise<void> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new SendError(value));
    if (this.#queue.length === 0 && this.#credits !== 0) {
      const error = this.#place(value, transfer);
      return error === null ? RESOLVED : Promise.reject(error);
    }
    return this.#enqueue(new Pending<T>(this as never, SEND, value, signal, transfer));
  }

  tryReserve(): P | undefined {
    if (this.#closed) throw new SendError(undefined);
    if (this.#queue.length !== 0 || this.#credits === 0) {
      this.#want();
      return undefined;
    }
    this.#credits--;
    this.#permits++;
    this.#activity++;
    return this.#makePermit(this);
  }

  reserve(signal: AbortSignal | undefined): Promise<P> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new SendError(undefined));
    if (this.#queue.length === 0 && this.#credits !== 0) return Promise.resolve(this.tryReserve()!);
    return this.#enqueue(new Pending<T>(this as never, RESERVE, undefined, signal, undefined));
  }

  sendPermit(value: T): void {
    this.#permits--;
    this.#credits++; // the permit's slot becomes the value's
    const error = this.#place(value, undefined);
    this.#settle();
    if (error !== null) throw error;
  }

  releasePermit(): void {
    this.#permits--;
    this.#credits++;
    this.#grantWaiting();
    this.#settle();
  }

  pollSend(value: T): undefined | typeof NOT_READY {
    if (this.#closed) throw new SendError(value);
    if (this.#queue.length !== 0 || this.#credits === 0) {
      this.#want();
      return NOT_READY;
    }
    const error = this.#place(value, undefined);
    if (error !== null) throw error;
    return undefined;
  }

  watchSend(wake: () => void): () => void {
    const watchers = (this.#watchers ??= new Set());
    watchers.add(wake);
    return () => void this.#watchers?.delete(wake);
  }

  dropSender(): void {
    if (--this.#strong === 0) {
      this.#ending = this.#lastDropped = true;
      this.#settle();
    } else {
      this.#delta--;
      this.#link.wake();
    }
  }

  error(reason: unknown): void {
    if (this.#closed) return;
    this.#error = [reason];
    this.#link.wake();
    this.#shutDown();
  }

  /**
   * Moves one strong handle of this thread further: the new port goes to the owning thread,
   * which serves it directly, so values never hop through this thread.
   */
  moveOut(): MessagePort {
    const { near, far } = portPair({
      kind: 'queue',
      end: 'sender',
      bound: this.bound,
      slotted: this.#slotted,
      maxPending: this.#maxPending,
      others: this.strong - 1,
    });
    this.#ports.push(near);
    this.#link.wake();
    if (--this.#strong === 0) this.#ending = true;
    this.#settle();
    return far;
  }

  /** A waiting party left (its signal aborted). */
  abandon(w: Pending<T>): void {
    const i = this.#queue.indexOf(w);
    if (i >= 0) this.#queue.splice(i, 1);
    this.#settle();
  }

  // ---- the link ----------------------------------------------------------------------------

  onMessage(batch: Batch): void {
    if (batch.o !== undefined) this.#others = batch.o;
    if (batch.n !== undefined) {
      this.#asked = Math.max(0, this.#asked - batch.n);
      this.#credits += batch.n;
      this.#grantWaiting();
      this.#wakeWatchers();
    }
    if (batch.x !== undefined) this.#shutDown();
    this.#settle();
  }

  onFlush(): void {
    const batch: Batch = {};
    if (this.#ask !== 0) batch.w = this.#ask;
    if (this.#returned !== 0) batch.r = this.#returned;
    if (this.#delta !== 0) batch.d = this.#delta;
    if (this.#error !== null) batch.e = this.#error;
    if (this.#letGo) batch.x = 2;
    const ports = this.#ports;
    if (ports.length !== 0) batch.p = ports;
    const values = this.#values;
    this.#ask = this.#returned = this.#delta = 0;
    this.#error = null;
    this.#ports = [];
    this.#values = [];
    if (values.length === 0 && batch.w === undefined && batch.r === undefined && batch.d === undefined && batch.e === undefined && batch.p === undefined && batch.x === undefined) {
      this.#afterFlush();
      return;
    }
    // Values were checked as they were sent (see #place): the batch itself clones.
    postValues(this.#link, batch, this.#slotted ? 'v' : 'u', values, ports, () => {});
    this.#afterFlush();
  }

  onClose(): void {
    this.#gone = true;
    this.#credits = 0;
    this.#shutDown();
  }

  // ---- machinery ---------------------------------------------------------------------------

  /**
   * Turns a credit into a value in this turn's batch. A value that cannot be cloned is caught
   * here, before it takes the credit: structured clone is tried on objects, and a value with
   * its own transfer list is posted alone, now (after the batch so far, keeping order).
   * Returns the `DataCloneError`, or null.
   */
  #place(value: T, transfer: readonly unknown[] | undefined): unknown {
    this.#activity++;
    if (transfer !== undefined && transfer.length !== 0) {
      this.onFlush();
      try {
        this.#link.post({ [this.#slotted ? 'v' : 'u']: [value] }, transfer);
      } catch (error) {
        return error;
      }
    } else {
      if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
        try {
          structuredClone(value);
        } catch (error) {
          return error;
        }
      }
      this.#values.push(value);
      this.#link.wake();
    }
    this.#credits--;
    this.#want();
    // A full batch goes now, with the ask for more slots it may have made.
    if (this.#values.length >= FULL) this.#link.flushNow();
    return null;
  }

  #enqueue<R>(w: Pending<T>): Promise<R> {
    if (this.#queue.length >= this.#maxPending) {
      return Promise.reject(new ChannelOverflowError(w.value, 'too many sends are already waiting'));
    }
    const promise = new Promise<R>((resolve, reject) => {
      w.resolve = resolve as (value: never) => void;
      w.reject = reject;
    });
    if (w.signal !== undefined) w.signal.addEventListener('abort', w);
    this.#queue.push(w);
    this.#want();
    this.#link.hold(true);
    return promise;
  }

  /** Asks ahead so that credits cover the waiting parties and a window of sends to come. */
  #want(): void {
    if (!this.#slotted || this.#closed || !this.#ready) return;
    const have = this.#credits + this.#asked;
    const target = this.#queue.length + this.#window;
    if (have > this.#queue.length + (this.#window >> 1)) return;
    const more = target - have;
    if (more <= 0) return;
    this.#asked += more;
    this.#ask += more;
    this.#link.wake();
  }

  #grantWaiting(): void {
    const queue = this.#queue;
    while (queue.length !== 0 && this.#credits !== 0) {
      const w = queue.shift()!;
      if (w.signal !== undefined) w.signal.removeEventListener('abort', w);
      if (w.kind === SEND) {
        const error = this.#place(w.value as T, w.transfer);
        if (error === null) w.resolve(undefined as never);
        else w.reject(error);
      } else {
        this.#credits--;
        this.#permits++;
        w.resolve(this.#makePermit(this) as never);
      }
    }
  }

  #wakeWatchers(): void {
    const watchers = this.#watchers;
    if (watchers === null) return;
    this.#watchers = null;
    for (const wake of watchers) wake();
  }

  #shutDown(): void {
    if (!this.#closed) {
      this.#closed = true;
      for (const w of this.#queue.splice(0)) {
        if (w.signal !== undefined) w.signal.removeEventListener('abort', w);
        w.reject(new SendError(w.value));
      }
      this.#resolveClosed?.();
      this.#resolveClosed = null;
      this.#wakeWatchers();
      if (this.#permits === 0) this.#returnCredits(); // the receiver's end waits for lent slots
    }
    this.#settle();
  }

  /** Keeps the port's hold and the end of this thread's part up to date. */
  #settle(): void {
    if (this.#gone) return;
    const busy = this.#queue.length !== 0 || this.#permits !== 0;
    if (this.#ending && !busy) {
      this.#resolveClosed = null; // no handle is left to be told
      this.#ending = false;
      this.#returnCredits();
      if (this.#lastDropped) this.#delta--;
      // Said in the last batch, not left to the port's close event (which Chromium does not
      // fire): the owner takes back every slot it lent here, grants still in flight included.
      this.#letGo = true;
      this.onFlush();
      this.#link.close();
      return;
    }
    this.#link.hold(busy || this.#resolveClosed !== null || this.#watchers !== null);
    if (!busy && this.#credits !== 0 && this.#credits !== Infinity && !this.#idleCheck) {
      this.#idleCheck = true;
      const seen = this.#activity;
      // Credits unused for a whole turn go back: an idle thread must not sit on slots.
      tick(() => {
        this.#idleCheck = false;
        if (this.#activity === seen && this.#queue.length === 0 && this.#permits === 0) this.#returnCredits();
        else this.#settle();
      });
    }
  }

  #returnCredits(): void {
    if (this.#credits === Infinity || this.#gone) return;
    const spare = this.#credits;
    if (spare !== 0 || this.#asked !== 0) {
      this.#credits = 0;
      this.#returned += spare;
      this.#ask -= this.#asked;
      this.#asked = 0;
      this.#link.wake();
    }
  }

  #afterFlush(): void {
    this.#settle();
  }
}
