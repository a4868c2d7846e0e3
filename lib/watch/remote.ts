import { greet, Link, portPair, type Hello, type LinkHandler, type PortLike } from '../internal/port/link.js';
import { checkClone, post, uncloneable, type Msg } from '../internal/port/mirror.js';
import { rethrowLater } from '../internal/schedule.js';
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
 *
 * Where the hello could not be read at once (browsers), the current value comes with it a
 * macrotask later. Until then a `sendModify` / `sendIfModified` has no value to work on: it is
 * queued, and so is everything this thread does after it (sends, `error(e)`, letting go, moving
 * on), so the owner sees them in call order, each modify applied to the value as it stands then.
 * A plain send needs no value: made before any queued call, it goes at once (and is what later
 * modifies work on).
 */
export class RemoteSender<T> extends Shared<T> implements LinkHandler {
  readonly #link: Link;
  #local = 1;
  #others = 0;
  #seq = 0;
  #pending = false;
  #delta = 0;
  #waiting = 0;
  /** Until the hello arrives (see the class docs): the calls waiting for its value, in order. */
  #early: (() => void)[] | null = null;

  constructor(port: PortLike, hello: WatchHello | null) {
    super((hello?.value ?? undefined) as T);
    this.#link = new Link(port, this);
    this.#link.hold(false);
    if (hello !== null) this.#init(hello);
    else {
      this.#early = [];
      this.#link.expectHello(WATCH, 'sender', (h) => this.#arrived(h as unknown as WatchHello));
    }
  }

  #arrived(hello: WatchHello): void {
    this.#init(hello);
    const early = this.#early!;
    this.#early = null;
    // Each as it would have run then; a callback's error (or a DataCloneError) is reported as
    // an error out of a callback, and the calls after it still run.
    for (const run of early) {
      try {
        run();
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /** Whether a call must wait for the hello: one already waits (order), or it needs the value. */
  #mustWait(needsValue: boolean): boolean {
    const early = this.#early;
    return early !== null && (early.length !== 0 || (needsValue && this.#seq === 0));
  }

  #init(hello: WatchHello): void {
    if (this.#seq === 0) this.value = hello.value as T;
    this.#others = hello.others;
    this.senders = this.#others + this.#local;
    this.receivers = hello.receivers;
  }

  override modify(modify: (value: T) => T | void): void {
    if (this.#mustWait(true)) this.#early!.push(() => super.modify(modify));
    else super.modify(modify);
  }

  override modifyIf(modify: (value: T) => boolean): boolean {
    if (!this.#mustWait(true)) return super.modifyIf(modify);
    this.#early!.push(() => void super.modifyIf(modify));
    return false; // nothing sent yet: what `modify` returns once the value is here decides
  }

  override replace(value: T, transfer?: readonly unknown[]): void {
    if (this.#mustWait(false)) {
      if (transfer === undefined || transfer.length === 0) checkClone(value); // throws here, not later
      this.#early!.push(() => this.replace(value, transfer));
      this.value = value; // what borrow() reads meanwhile; the replay starts from the hello's value
      return;
    }
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
    if (this.#mustWait(false)) this.#early!.push(() => this.#fail(reason));
    else this.#fail(reason);
    super.error(reason);
  }

  #fail(reason: unknown): void {
    this.#flush();
    try {
      post(this.#link, { e: [reason] });
    } catch (error) {
      post(this.#link, { e: [uncloneable(error)] });
    }
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
      this.#leave();
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

  /**
   * Moves one handle of this thread further: its port goes to the owning thread, which serves
   * it. Before this thread has the value (its hello), the moved handle's hello waits for it.
   */
  moveOut(): MessagePort {
    const wait = this.#mustWait(true);
    const { near, far } = portPair(wait ? null : this.#helloOut(this.senders - 1));
    if (wait) {
      this.#early!.push(() => {
        try {
          greet(near, this.#helloOut(this.senders)); // the moved handle no longer counts here
        } catch (error) {
          // A queued modify left the value uncloneable: the moved handle cannot start; it is
          // dropped (the owner counts it down) and the DataCloneError reported.
          near.close();
          this.#delta--;
          this.#link.wake();
          throw error;
        }
        this.#handOver(near);
      });
    } else this.#handOver(near);
    this.senders--;
    if (--this.#local === 0) this.#leave();
    return far;
  }

  #helloOut(others: number): WatchHello {
    return { kind: 'watch', end: 'sender', bound: 1, slotted: false, maxPending: 0, others, value: this.value, changed: false, receivers: this.receivers };
  }

  #handOver(near: PortLike): void {
    post(this.#link, this.#batch({ q: [near] }), [near]);
    if (this.#link.closed) near.close(); // the owning thread is gone: so is the moved sender's
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
    // The owning thread is gone (or the port carried something else) before the hello: the
    // waiting calls have nobody to reach and no value to work on.
    this.#early = null;
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

  /** The last handle here is gone: what is still to be said goes first (after the queued calls), then the letting go. */
  #leave(): void {
    if (this.#mustWait(false)) {
      this.#early!.push(() => this.#leave());
      return;
    }
    this.#flush();
    this.#letGo();
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
