import type { Chan } from '../chan.js';
import { schedule } from '../schedule.js';
import { Link, portPair, type Batch, type Hello, type LinkHandler, type PortLike } from './link.js';

/** Most values in flight to one receiving thread (its window). */
const WINDOW = 1024;

/**
 * The receiving thread's side of a moved receiver: a local channel (`chan`, bound = the
 * window) that the kind's ordinary receiver handle reads, fed from the port.
 *
 * The window is opened once; every value a local consumer takes is acknowledged (in batches),
 * which frees its slot in the owning thread and reopens the window by one. So the values in
 * flight plus those buffered here never exceed the window, and they all still count against
 * the channel's bound over there until taken.
 *
 * Moving on ({@link ReceiverFeed.moveOut}): the new port goes to the owning thread, which
 * serves it directly. The last handle moving sends a final acknowledgement with it and lets
 * go: what is buffered here or still in flight is exactly what the owner handed over and
 * holds unacknowledged, and the owner sends it to the new port first, so nothing is lost,
 * duplicated or reordered and no value is relayed through this thread.
 */
export class ReceiverFeed<T> implements LinkHandler {
  readonly #chan: Chan<T, unknown>;
  readonly #link: Link;
  /** Whether the local handles all let go (mpmc `drop`), as opposed to a `close()`. */
  readonly #dropped: () => boolean;
  #received = 0;
  #acked = 0;
  #watching = false;
  /** A flush is scheduled: it will acknowledge whatever the consumers took by then. */
  #flushDue = false;
  #ended = false;
  #closeSent: 1 | 2 | 0 = 0;
  /** The channel's bound, as the hello gave it (the window until it came). */
  #bound = WINDOW;
  /** Ports of handles moved on (an mpmc clone, others staying here), for the owner to serve. */
  #ports: PortLike[] = [];

  /**
   * @param makeChan builds the local channel for a window of `window` values (once the hello
   * is known).
   */
  constructor(port: PortLike, hello: Hello | null, kinds: readonly string[], makeChan: (window: number) => Chan<T, unknown>, dropped: () => boolean) {
    this.#dropped = dropped;
    this.#link = new Link(port, this);
    // Where the hello arrives later (browsers) the window is the default; the far bound still
    // caps what is in flight, since the owner lends no more than its free slots.
    const window = hello === null ? WINDOW : Math.min(WINDOW, hello.bound);
    this.#chan = makeChan(window);
    // One phantom lent slot until the owner's end arrives: a local close() must not end the
    // stream here while values buffered over there are still on their way (as in one thread,
    // a closed receiver drains what was sent before).
    this.#chan.lent++;
    if (hello === null) this.#link.expectHello(kinds, 'receiver', (h) => this.#open(window, h.bound));
    else this.#open(window, hello.bound);
    void this.#chan.closed().then(() => {
      if (this.#ended || this.#closeSent !== 0) return;
      this.#closeSent = this.#dropped() ? 2 : 1;
      this.#link.wake();
    });
  }

  /** Whether the owning thread still serves this feed (a move hands the port to it). */
  get serving(): boolean {
    return !this.#ended;
  }

  /** The local channel the receiver handle reads. */
  get chan(): Chan<T, unknown> {
    return this.#chan;
  }

  #open(window: number, bound: number): void {
    this.#bound = bound;
    this.#link.post({ k: window });
  }

  /**
   * Moves a receiver handle of this thread on: returns the port, which the owning thread will
   * serve (null once the stream ended here or the owner is gone: the caller serves what is
   * left from here). With `last`, it is the last handle here, and this feed lets go.
   */
  moveOut(kind: string, last: boolean): MessagePort | null {
    if (this.#ended) return null;
    const chan = this.#chan;
    const { near, far } = portPair({ kind, end: 'receiver', bound: this.#bound, slotted: true, maxPending: 0, others: chan.strong });
    this.#ports.push(near);
    if (!last) {
      this.#link.wake();
      return far;
    }
    // Closed here (rx.close()) before moving: the owner closes the channel first.
    if (chan.isSendClosed) this.#link.post({ x: 1 });
    const ports = this.#ports;
    this.#ports = [];
    const batch: Batch = { p: ports, x: 2 };
    const consumed = this.#received - chan.length;
    if (consumed > this.#acked) batch.n = consumed - this.#acked;
    this.#acked = consumed;
    this.#link.post(batch, ports);
    this.#finish(); // what arrives here now the owner sends to the new port instead
    return far;
  }

  onMessage(batch: Batch): void {
    const chan = this.#chan;
    if (batch.o !== undefined && !this.#ended) chan.strong = Math.max(1, batch.o);
    if (batch.v !== undefined) {
      // The window guarantees a slot for each; placing held slots also works after a local close.
      chan.taken += batch.v.length;
      chan.placeHeld(batch.v);
      this.#received += batch.v.length;
    }
    if (batch.x !== undefined || batch.e !== undefined) {
      this.#end(batch.e);
      return;
    }
    this.#check();
  }

  onFlush(): void {
    this.#flushDue = false;
    const batch: Batch = {};
    const consumed = this.#received - this.#chan.length;
    if (consumed > this.#acked) {
      batch.n = consumed - this.#acked;
      this.#acked = consumed;
    }
    const close = this.#closeSent;
    if (close !== 0) batch.x = close;
    const ports = this.#ports;
    if (ports.length !== 0) {
      batch.p = ports;
      this.#ports = [];
    }
    if (batch.n !== undefined || batch.x !== undefined || batch.p !== undefined) this.#link.post(batch, ports);
    if (close === 2) this.#finish();
    else if (!this.#watching) this.#check(); // watch for the next take
  }

  onClose(): void {
    // The owning thread ended before the stream did: no value can come any more.
    this.#end(undefined);
  }

  #end(error: [unknown] | undefined): void {
    if (this.#ended) return;
    // The owner keeps its port open after the end until this side lets go (a move racing the
    // end must reach it): say so, for runtimes whose ports have no close event.
    this.#link.post({ x: 2 });
    this.#finish();
    const chan = this.#chan;
    chan.lent--;
    chan.strong = 1;
    if (error !== undefined) chan.error(error[0]);
    else chan.dropSender();
  }

  #finish(): void {
    this.#ended = true;
    this.#link.close();
    // Ports of handles moved on that never reached the owner: their far sides see the end.
    for (const port of this.#ports.splice(0)) port.close();
  }

  /**
   * Acknowledges what the local consumers took: wakes the link when they took something (the
   * flush at the end of the turn counts everything taken by then), else watches for the next
   * take. While a flush is due nothing is watched: one watch per turn, not one per value.
   */
  readonly #check = (): void => {
    this.#watching = false;
    if (this.#ended) return;
    const chan = this.#chan;
    if (this.#received - chan.length > this.#acked) {
      this.#flushDue = true;
      this.#link.wake();
      return;
    }
    if (chan.length !== 0 && !this.#flushDue) {
      this.#watching = true;
      chan.watchSend(this.#taken);
    }
  };

  readonly #taken = (): void => schedule(this.#check);
}
