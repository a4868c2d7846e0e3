import { Link, portPair, type Hello, type LinkHandler, type PortLike } from '../internal/port/link.js';
import { checkClone, post, uncloneable, type Msg } from '../internal/port/mirror.js';
import { Shared } from './shared.js';

/**
 * Watch handles opened from a port, in a thread other than the channel's. Each keeps a mirror
 * of the current value: a receiver's ({@link Feed}) is fed the latest value whenever the
 * owning thread has a new version (coalesced per turn, as watch always is), and its
 * receivers' seen versions are kept here; a sender's ({@link RemoteSender}) is what `borrow()`
 * and `sendModify` read there, and each of its sends goes to the owning thread.
 */

/** The hello of a watch port: the common part and what a watch handle needs. */
export interface WatchHello extends Omit<Hello, 'tag'> {
  /** The current value (a copy). */
  readonly value: unknown;
  /** A receiver's: whether it had not seen the current value. */
  readonly changed: boolean;
  /** Receivers of the channel when the port was made. */
  readonly receivers: number;
}

export const WATCH = ['watch'] as const;

/** The version a mirror starts at (so that "not seen" is `version - 1`, as `markChanged` makes). */
const FIRST = 1;

/**
 * A receiver's mirror in this thread: the latest value the owning thread sent, a new version
 * for each, then the end. Receivers cloned here read the same mirror and count in the
 * channel's `receiverCount`; once the last one here is dropped, the owner is told.
 */
export class Feed<T> implements LinkHandler {
  readonly mirror: Shared<T>;
  readonly #link: Link;
  #told = 1;
  #ended = false;
  #leaving = false;

  constructor(port: PortLike, value: T) {
    const mirror = (this.mirror = new Shared<T>(value));
    mirror.version = FIRST;
    mirror.counted = new Set([this.#recount]);
    this.#link = new Link(port, this);
  }

  /** The seen version of a receiver that had (or had not) seen the value it starts with. */
  seen(changed: boolean): number {
    return changed ? FIRST - 1 : FIRST;
  }

  /**
   * Where the hello cannot be read at once (browsers): the value comes with it, a macrotask
   * later. Until then the mirror holds no value (`borrow()` reads `undefined`) and its
   * receivers wait; the value's arrival is a new version, so `changed()` resolves with it and
   * Observables emit it first, whatever the receiver had seen before it moved. Returns the
   * receiver's seen version.
   */
  late(): number {
    const mirror = this.mirror;
    mirror.version = FIRST - 1;
    mirror.pending = true;
    this.#link.expectHello(WATCH, 'receiver', (hello) => {
      mirror.value = (hello as unknown as WatchHello).value as T;
      mirror.pending = false;
      mirror.bump();
    });
    return FIRST - 1;
  }

  onMessage(msg: Msg): void {
    if (this.#ended) return;
    const mirror = this.mirror;
    if (msg.u !== undefined) {
      mirror.value = msg.u[msg.u.length - 1] as T;
      if (msg.i === undefined) mirror.bump();
    }
    if (msg.e !== undefined) this.#end(msg.e);
    else if (msg.x !== undefined) this.#end(undefined);
  }

  onFlush(): void {
    const msg: Msg = {};
    const total = this.mirror.receivers;
    if (total !== this.#told && total !== 0) {
      msg.d = total - this.#told;
      this.#told = total;
    }
    if (this.#leaving) msg.x = 2;
    if (msg.d !== undefined || msg.x !== undefined) post(this.#link, msg);
    if (this.#leaving) this.#link.close();
  }

  onClose(): void {
    // The owning thread ended: no version can come any more; the value stays readable.
    this.#end(undefined);
  }

  readonly #recount = (): void => {
    if (this.#ended || this.#leaving) return;
    if (this.mirror.receivers === 0) this.#leaving = true;
    this.#link.wake();
  };

  #end(error: [unknown] | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#link.close();
    if (error !== undefined) this.mirror.error(error[0]);
    this.mirror.dropSender();
  }
}

/**
 * The state a watch sender opened from a port wraps: a mirror of the current value (what
 * `borrow()` and `sendModify` see here: the latest this thread sent or heard of), the counts
 * as last heard, and sends that go to the owning thread (the latest of a turn, as watch
 * coalesces anyway). Sends are numbered, so a value from the owner that predates this
 * thread's latest send does not overwrite the mirror.
 */
export class RemoteSender<T> extends Shared<T> implements LinkHandler {
  readonly #link: Link;
  #local = 1;
  #others = 0;
  #seq = 0;
  #pending = false;
  #delta = 0;
  #waiting = 0;

  constructor(port: PortLike, hello: WatchHello | null) {
    super((hello?.value ?? undefined) as T);
    this.#link = new Link(port, this);
    this.#link.hold(false);
    if (hello !== null) this.#init(hello);
    else this.#link.expectHello(WATCH, 'sender', (h) => this.#init(h as unknown as WatchHello));
  }

  #init(hello: WatchHello): void {
    if (this.#seq === 0) this.value = hello.value as T;
    this.#others = hello.others;
    this.senders = this.#others + this.#local;
    this.receivers = hello.receivers;
  }

  override replace(value: T, transfer?: readonly unknown[]): void {
    if (this.#link.closed) {
      super.replace(value); // the owning thread is gone: nobody will see it
      return;
    }
    if (transfer !== undefined && transfer.length !== 0) {
      this.#flush();
      post(this.#link, { u: [value], a: this.#seq + 1 }, transfer); // a DataCloneError throws here
      this.#pending = false;
    } else {
      checkClone(value);
      this.#pending = true;
      this.#link.wake();
    }
    this.#seq++;
    super.replace(value);
  }

  override error(reason: unknown): void {
    if (this.ended) return;
    this.#flush();
    try {
      post(this.#link, { e: [reason] });
    } catch (error) {
      post(this.#link, { e: [uncloneable(error)] });
    }
    super.error(reason);
  }

  override addSender(): void {
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

  /** A receiver in this thread: a new port to the owning thread, which adds it there. */
  override openReceiver(): [Shared<T>, number] {
    const { port1, port2 } = new MessageChannel();
    const near = port1 as unknown as PortLike;
    post(this.#link, this.#batch({ p: [near] }), [near]);
    if (this.#link.closed) near.close(); // the owning thread is gone: the receiver ends at once
    else this.receivers++;
    const feed = new Feed<T>(port2 as unknown as PortLike, this.value);
    return [feed.mirror, feed.seen(false)];
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
    const hello: WatchHello = {
      kind: 'watch',
      end: 'sender',
      bound: 1,
      slotted: false,
      maxPending: 0,
      others: this.senders - 1,
      value: this.value,
      changed: false,
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
    if (msg.u !== undefined && msg.a === this.#seq) this.value = msg.u[0] as T;
    if (msg.s !== undefined) {
      this.#others = msg.s;
      this.senders = this.#others + this.#local;
    }
    if (msg.f !== undefined && this.failure === null) this.failure = { reason: undefined };
    if (msg.c !== undefined) this.#receivers(msg.c);
  }

  onFlush(): void {
    this.#flush();
  }

  onClose(): void {
    this.#receivers(0);
  }

  #receivers(count: number): void {
    this.receivers = count;
    if (count === 0) this.noReceivers.notifyAll();
  }

  #batch(msg: Msg): Msg {
    if (this.#pending) {
      this.#pending = false;
      msg.u = [this.value];
      msg.a = this.#seq;
    }
    if (this.#delta !== 0) {
      msg.d = this.#delta;
      this.#delta = 0;
    }
    return msg;
  }

  #flush(): void {
    const msg = this.#batch({});
    if (msg.u === undefined && msg.d === undefined) return;
    try {
      post(this.#link, msg);
    } catch {
      // Mutated in place since its send into something that cannot be cloned: it stays here.
      delete msg.u;
      delete msg.a;
      if (msg.d !== undefined) post(this.#link, msg);
    }
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
