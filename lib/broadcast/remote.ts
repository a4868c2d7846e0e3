import { SendError } from '../errors.js';
import { Link, portPair, type Hello, type LinkHandler, type PortLike } from '../internal/port/link.js';
import { checkClone, post, uncloneable, type Msg } from '../internal/port/mirror.js';
import { Cursor, Shared, type LagPolicy } from './shared.js';

/**
 * Broadcast handles opened from a port, in a thread other than the channel's: a sender's
 * state ({@link RemoteSender}, a {@link Shared} without a ring, whose sends go to the owning
 * thread) and a receiver's ({@link Feed}: a ring of the channel's capacity in this thread,
 * filled from the port, that this thread's receivers read with their own cursors).
 */

/** The hello of a broadcast port: the common part and what a broadcast handle needs. */
export interface BroadcastHello extends Omit<Hello, 'tag'> {
  readonly lag: LagPolicy;
  /** Receivers of the channel when the port was made. */
  readonly receivers: number;
}

export const BROADCAST = ['broadcast'] as const;

/** The largest window of values in flight to a receiving thread. */
const WINDOW = 1024;

/** How many values may be in flight to a receiving thread of a ring of `capacity`. */
export function windowOf(capacity: number): number {
  return Math.min(capacity, WINDOW);
}

/**
 * A ring in this thread fed from the port: the values the owning thread sends, in order, with
 * the owner's lag (values its ring overwrote before they could be sent) as placeholders that
 * read as {@link LaggedError}. Each arrival is acknowledged, which reopens the owner's window.
 * Receivers made here (`resubscribe`) read the same ring and count in the channel's
 * `receiverCount`; once the last one here is dropped, the owner's cursor is released.
 */
export class Feed<T> implements LinkHandler {
  readonly ring: Shared<T>;
  readonly cursor: Cursor;
  readonly #link: Link;
  #arrived = 0;
  #acked = 0;
  /** Receivers here, as last told to the owner. */
  #told = 1;
  #ended = false;
  #leaving = false;

  constructor(port: PortLike, capacity: number, lag: LagPolicy) {
    const ring = (this.ring = new Shared<T>(capacity, lag));
    this.cursor = new Cursor(ring, 0);
    ring.counted = new Set([this.#recount]);
    this.#link = new Link(port, this);
  }

  /** The link, for the hello read late (browsers). */
  get link(): Link {
    return this.#link;
  }

  onMessage(msg: Msg): void {
    const ring = this.ring;
    if (this.#ended) return;
    if (msg.g !== undefined) ring.skip(msg.g);
    if (msg.u !== undefined) {
      for (const value of msg.u) {
        if (ring.receivers !== 0 && ring.failure === null) ring.send(value as T);
      }
      this.#arrived += msg.u.length;
      this.#link.wake();
    }
    if (msg.e !== undefined) this.#end(msg.e);
    else if (msg.x !== undefined) this.#end(undefined);
  }

  onFlush(): void {
    const msg: Msg = {};
    if (this.#arrived !== this.#acked) {
      msg.n = this.#arrived - this.#acked;
      this.#acked = this.#arrived;
    }
    const total = this.ring.receivers + this.ring.extra;
    if (total !== this.#told && total !== 0) {
      msg.d = total - this.#told;
      this.#told = total;
    }
    if (this.#leaving) msg.x = 2;
    if (msg.n !== undefined || msg.d !== undefined || msg.x !== undefined) post(this.#link, msg);
    if (this.#leaving) this.#link.close();
  }

  onClose(): void {
    // The owning thread ended: no value can come any more; what arrived stays readable.
    this.#end(undefined);
  }

  readonly #recount = (): void => {
    if (this.#ended || this.#leaving) return;
    if (this.ring.receivers + this.ring.extra === 0) this.#leaving = true;
    this.#link.wake();
  };

  #end(error: [unknown] | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#link.close();
    if (error !== undefined) this.ring.error(error[0]);
    this.ring.dropSender();
  }
}

/**
 * The state a broadcast sender opened from a port wraps: the channel's counts as last heard
 * from the owning thread, and sends that go there. A send returns the receivers it is known
 * to reach; it is refused with `SendError` when this thread knows of none (or of the
 * channel's failure), and a value that reaches the owner after its last receiver left reaches
 * nobody, as a send made just after would.
 */
export class RemoteSender<T> extends Shared<T> implements LinkHandler {
  readonly #link: Link;
  /** Live sender handles in this thread. */
  #local = 1;
  /** Senders elsewhere, as last heard. */
  #others = 0;
  #values: unknown[] = [];
  #delta = 0;
  #waiting = 0;

  constructor(port: PortLike, hello: BroadcastHello | null) {
    super(hello?.bound ?? 1, hello?.lag ?? 'error', false);
    this.#link = new Link(port, this);
    this.#link.hold(false);
    if (hello !== null) this.#init(hello);
    else this.#link.expectHello(BROADCAST, 'sender', (h) => this.#init(h as unknown as BroadcastHello));
  }

  #init(hello: BroadcastHello): void {
    this.capacity = hello.bound;
    this.lag = hello.lag;
    this.#others = hello.others;
    this.senders = this.#others + this.#local;
    this.receivers = hello.receivers;
  }

  override send(value: T, transfer?: readonly unknown[]): number {
    if (this.receivers === 0 || this.#link.closed) throw new SendError(value, 'cannot send: the broadcast channel has no receivers');
    if (this.failure !== null) throw new SendError(value, 'cannot send: the broadcast channel was closed by error(e)');
    if (transfer !== undefined && transfer.length !== 0) {
      this.#flush();
      post(this.#link, { u: [value] }, transfer); // a DataCloneError throws here, nothing sent
    } else {
      checkClone(value);
      this.#values.push(value);
      this.#link.wake();
    }
    return this.receivers;
  }

  override error(reason: unknown): void {
    if (this.failure !== null || this.senders === 0) return;
    this.#flush();
    try {
      post(this.#link, { e: [reason] });
    } catch (error) {
      post(this.#link, { e: [uncloneable(error)] });
    }
    super.error(reason);
  }

  override cloneSender(): void {
    this.#local++;
    this.#delta++;
    this.senders++;
    this.#link.wake();
  }

  override dropSender(): void {
    this.senders--;
    if (--this.#local === 0) {
      this.#flush();
      this.#letGo();
      return;
    }
    this.#delta--;
    this.#link.wake();
  }

  /** A receiver in this thread: a new port to the owning thread, which subscribes it there. */
  override open(): [Shared<T>, Cursor] {
    const { port1, port2 } = new MessageChannel();
    const near = port1 as unknown as PortLike;
    post(this.#link, this.#batch({ p: [near] }), [near]);
    if (this.#link.closed) near.close(); // the owning thread is gone: the receiver ends at once
    else this.receivers++;
    const feed = new Feed<T>(port2 as unknown as PortLike, this.capacity, this.lag);
    return [feed.ring, feed.cursor];
  }

  override closed(): Promise<void> {
    if (this.receivers === 0 || this.#link.closed) return Promise.resolve();
    this.#waiting++;
    this.#link.hold(true);
    return this.noReceivers.wait(undefined).finally(() => {
      if (--this.#waiting === 0) this.#link.hold(false);
    });
  }

  /** Moves one handle of this thread further: its port goes to the owning thread, which serves it. */
  moveOut(): MessagePort {
    const hello: BroadcastHello = {
      kind: 'broadcast',
      end: 'sender',
      bound: this.capacity,
      slotted: false,
      maxPending: 0,
      others: this.senders - 1,
      lag: this.lag,
      receivers: this.receivers,
    };
    const { near, far } = portPair(hello);
    post(this.#link, this.#batch({ q: [near] }), [near]);
    if (this.#link.closed) near.close(); // the owning thread is gone: so is the moved sender's
    this.senders--;
    if (--this.#local === 0) this.#letGo();
    return far;
  }

  onMessage(msg: Msg): void {
    if (msg.s !== undefined) {
      this.#others = msg.s;
      this.senders = this.#others + this.#local;
    }
    if (msg.f !== undefined && this.failure === null) this.failure = { reason: undefined };
    if (msg.c !== undefined) this.#receivers(msg.c);
  }

  onFlush(): void {
    const msg = this.#batch({});
    if (msg.u !== undefined || msg.d !== undefined) post(this.#link, msg);
  }

  onClose(): void {
    // The owning thread ended: nobody will hear a send any more.
    this.#receivers(0);
  }

  #receivers(count: number): void {
    this.receivers = count;
    if (count === 0) this.noReceivers.notifyAll();
  }

  /** This turn's values and count change, added to `msg`. */
  #batch(msg: Msg): Msg {
    if (this.#values.length !== 0) {
      msg.u = this.#values;
      this.#values = [];
    }
    if (this.#delta !== 0) {
      msg.d = this.#delta;
      this.#delta = 0;
    }
    return msg;
  }

  #flush(): void {
    const msg = this.#batch({});
    if (msg.u !== undefined || msg.d !== undefined) post(this.#link, msg);
  }

  /**
   * The last handle here is gone: say so (`x: 2`), then close. The owner counts this thread's
   * handles down on that message; a port's `close` event alone would not do, as a browser's
   * port may have none (Chromium's by default).
   */
  #letGo(): void {
    post(this.#link, { x: 2 });
    this.#link.close();
  }
}
