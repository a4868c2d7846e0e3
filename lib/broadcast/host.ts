import { LaggedError } from '../errors.js';
import { Link, portPair, type LinkHandler, type PortLike } from '../internal/port/link.js';
import { post, uncloneable, type Msg } from '../internal/port/mirror.js';
import { NOT_READY } from '../internal/selectable.js';
import { RemoteSender, windowOf, type BroadcastHello } from './remote.js';
import { END, type Cursor, type Shared } from './shared.js';

/**
 * The owning thread's side of broadcast handles that moved to other threads. The ring stays
 * here; a moved receiver is served by a cursor of its own (it reads as one receiver, and its
 * thread's further receivers count in `extra`), a moved sender's values are sent here.
 */

/**
 * Serves a receiver in another thread: reads its cursor as the values come (it is one of the
 * ring's drain loops, run inside each send, as an Observable subscriber's is) and sends them,
 * at most a window ahead of what that thread acknowledged. Once the window is full the cursor
 * stays where it is, so a receiving thread that falls behind lags here as any receiver does,
 * and the count of values it lost travels to it in order (`g`).
 */
class ReceiverHost<T> implements LinkHandler {
  readonly #shared: Shared<T>;
  readonly #cursor: Cursor;
  readonly #link: Link;
  readonly #window: number;
  #inflight = 0;
  #gap = 0;
  #out: unknown[] = [];
  #end: Msg | null = null;
  /** Receivers in that thread beyond the first (counted in the ring's `extra`). */
  #extra = 0;
  #gone = false;

  constructor(shared: Shared<T>, port: PortLike, cursor: Cursor) {
    this.#shared = shared;
    this.#cursor = cursor;
    this.#window = windowOf(shared.capacity);
    this.#link = new Link(port, this);
    shared.sinks.add(this.#drain);
    this.#drain();
  }

  readonly #drain = (): void => {
    if (this.#gone || this.#end !== null) return;
    const shared = this.#shared;
    let moved = false;
    while (this.#inflight < this.#window) {
      let value: T | typeof NOT_READY | typeof END;
      try {
        value = shared.read(this.#cursor);
      } catch (error) {
        if (error instanceof LaggedError && (shared.failure === null || shared.failure.reason !== error)) {
          this.#lagged(error.skipped);
          moved = true;
          continue;
        }
        this.#end = { e: [error] };
        break;
      }
      if (value === NOT_READY) break;
      if (value === END) {
        this.#end = { x: 1 };
        break;
      }
      this.#out.push(value);
      this.#inflight++;
      moved = true;
    }
    if (moved || this.#end !== null) this.#link.wake();
  };

  /** Values before a lag go in a message of their own, so the far ring sees the lag in order. */
  #lagged(skipped: number): void {
    if (this.#out.length !== 0) this.#postOut();
    this.#gap += skipped;
  }

  /**
   * Posts the values read so far. One that cannot be cloned (a local send of a function, say)
   * cannot reach that thread: it becomes a lag of one there, in its place.
   */
  #postOut(): void {
    const out = this.#out;
    const msg: Msg = {};
    if (this.#gap !== 0) msg.g = this.#gap;
    if (out.length !== 0) msg.u = out;
    this.#out = [];
    this.#gap = 0;
    if (msg.g === undefined && msg.u === undefined) return;
    try {
      post(this.#link, msg);
      return;
    } catch {
      // Find the culprits one value at a time, in order.
    }
    if (msg.g !== undefined) post(this.#link, { g: msg.g });
    for (const value of out) {
      try {
        post(this.#link, { u: [value] });
      } catch {
        this.#inflight--;
        post(this.#link, { g: 1 });
      }
    }
  }

  onMessage(msg: Msg): void {
    if (this.#gone) return;
    if (msg.d !== undefined) {
      this.#extra += msg.d;
      this.#shared.extra += msg.d;
    }
    if (msg.x === 2) {
      this.#leave();
      return;
    }
    if (msg.n !== undefined) {
      this.#inflight -= msg.n;
      this.#drain();
    }
  }

  onFlush(): void {
    if (this.#gone) return;
    this.#postOut();
    const end = this.#end;
    if (end === null) return;
    try {
      post(this.#link, end);
    } catch (error) {
      post(this.#link, { e: [uncloneable(error)] });
    }
    this.#leave();
  }

  onClose(): void {
    this.#leave();
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#link.close();
    const shared = this.#shared;
    shared.sinks.delete(this.#drain);
    shared.extra -= this.#extra;
    this.#extra = 0;
    shared.unsubscribe(this.#cursor);
  }
}

/**
 * Serves the senders that moved to one other thread: their values are sent here, in order, as
 * if sent here (a value that arrives when no receiver is left reaches nobody); the counts and
 * the failure go there as they change. The thread ending drops its handles.
 */
class SenderHost<T> implements LinkHandler {
  readonly #shared: Shared<T>;
  readonly #link: Link;
  #strong = 1;
  /** What the far side was last told: receivers, other senders, failure. */
  #told = [-1, -1, 0];

  constructor(shared: Shared<T>, port: PortLike) {
    this.#shared = shared;
    this.#link = new Link(port, this);
    (shared.counted ??= new Set()).add(this.#wake);
  }

  readonly #wake = (): void => this.#link.wake();

  onMessage(msg: Msg): void {
    const shared = this.#shared;
    if (msg.u !== undefined) {
      for (const value of msg.u) {
        if (shared.receivers !== 0 && shared.failure === null) shared.send(value as T);
      }
    }
    if (msg.p !== undefined) for (const port of msg.p) new ReceiverHost(shared, port, shared.subscribe());
    if (msg.q !== undefined) {
      for (const port of msg.q) {
        new SenderHost(shared, port); // one of that thread's handles moved on; it counts there now
        this.#strong--;
      }
    }
    if (msg.d !== undefined) this.#count(msg.d);
    if (msg.e !== undefined) shared.error(msg.e[0]);
    if (msg.x === 2) {
      // That thread let go of its last handle (it says so: its port may fire no close event).
      this.#link.close();
      this.onClose();
    }
  }

  onFlush(): void {
    const shared = this.#shared;
    const told = this.#told;
    const msg: Msg = {};
    const receivers = shared.receivers + shared.extra;
    if (receivers !== told[0]) msg.c = told[0] = receivers;
    const others = shared.senders - this.#strong;
    if (others !== told[1]) msg.s = told[1] = others;
    if (shared.failure !== null && told[2] === 0) {
      told[2] = 1;
      msg.f = 1;
    }
    if (msg.c !== undefined || msg.s !== undefined || msg.f !== undefined) post(this.#link, msg);
  }

  onClose(): void {
    this.#shared.counted?.delete(this.#wake);
    this.#count(-this.#strong);
  }

  #count(delta: number): void {
    this.#strong += delta;
    if (delta > 0) {
      this.#shared.senders += delta - 1;
      this.#shared.cloneSender(); // tells the other hosts
    }
    for (let i = delta; i < 0; i++) this.#shared.dropSender();
  }
}

function helloOf<T>(shared: Shared<T>, end: 'sender' | 'receiver'): BroadcastHello {
  return {
    kind: 'broadcast',
    end,
    bound: shared.capacity,
    slotted: false,
    maxPending: 0,
    others: shared.senders - 1,
    lag: shared.lag,
    receivers: shared.receivers + shared.extra,
  };
}

/** Moves a sender of `shared` (its handle already consumed by the caller): returns the far port. */
export function moveSender<T>(shared: Shared<T>): MessagePort {
  if (shared instanceof RemoteSender) return shared.moveOut();
  const { near, far } = portPair(helloOf(shared, 'sender'));
  new SenderHost(shared, near);
  return far;
}

/** Moves a receiver whose position is `cursor` (its handle already consumed): returns the far port. */
export function moveReceiver<T>(shared: Shared<T>, cursor: Cursor): MessagePort {
  const { near, far } = portPair(helloOf(shared, 'receiver'));
  new ReceiverHost(shared, near, cursor);
  return far;
}
