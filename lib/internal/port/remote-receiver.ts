import type { Chan } from '../chan.js';
import { schedule } from '../schedule.js';
import { Link, type Batch, type Hello, type LinkHandler, type PortLike } from './link.js';

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
 */
export class ReceiverFeed<T> implements LinkHandler {
  readonly #chan: Chan<T, unknown>;
  readonly #link: Link;
  /** Whether the local handles all let go (mpmc `drop`), as opposed to a `close()`. */
  readonly #dropped: () => boolean;
  #received = 0;
  #acked = 0;
  #watching = false;
  #ended = false;
  #closeSent: 1 | 2 | 0 = 0;

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
    if (hello === null) this.#link.expectHello(kinds, 'receiver', () => this.#open(window));
    else this.#open(window);
    void this.#chan.closed().then(() => {
      if (this.#ended || this.#closeSent !== 0) return;
      this.#closeSent = this.#dropped() ? 2 : 1;
      this.#link.wake();
    });
  }

  /** The local channel the receiver handle reads. */
  get chan(): Chan<T, unknown> {
    return this.#chan;
  }

  #open(window: number): void {
    this.#link.post({ k: window });
  }

  onMessage(batch: Batch): void {
    const chan = this.#chan;
    if (batch.o !== undefined && !this.#ended) chan.strong = Math.max(1, batch.o);
    if (batch.v !== undefined) {
      for (const value of batch.v) {
        // The window guarantees a slot; the permit path also accepts after a local close.
        chan.taken++;
        chan.permits++;
        chan.sendPermit(value as T);
      }
      this.#received += batch.v.length;
    }
    if (batch.x !== undefined || batch.e !== undefined) {
      this.#end(batch.e);
      return;
    }
    this.#check();
  }

  onFlush(): void {
    const batch: Batch = {};
    const consumed = this.#received - this.#chan.length;
    if (consumed > this.#acked) {
      batch.n = consumed - this.#acked;
      this.#acked = consumed;
    }
    const close = this.#closeSent;
    if (close !== 0) batch.x = close;
    if (batch.n !== undefined || batch.x !== undefined) this.#link.post(batch);
    if (close === 2) this.#finish();
  }

  onClose(): void {
    // The owning thread ended before the stream did: no value can come any more.
    this.#end(undefined);
  }

  #end(error: [unknown] | undefined): void {
    if (this.#ended) return;
    this.#finish();
    const chan = this.#chan;
    chan.strong = 1;
    if (error !== undefined) chan.error(error[0]);
    else chan.dropSender();
  }

  #finish(): void {
    this.#ended = true;
    this.#link.close();
  }

  readonly #check = (): void => {
    this.#watching = false;
    if (this.#ended) return;
    const chan = this.#chan;
    if (this.#received - chan.length > this.#acked) this.#link.wake();
    if (chan.length !== 0 && !this.#watching) {
      this.#watching = true;
      chan.watchSend(() => schedule(this.#check));
    }
  };
}
