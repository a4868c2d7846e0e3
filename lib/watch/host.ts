import { Link, portPair, type LinkHandler, type PortLike } from '../internal/port/link.js';
import { post, uncloneable, type Msg } from '../internal/port/mirror.js';
import { RemoteSender, type WatchHello } from './remote.js';
import type { Shared } from './shared.js';

/**
 * The owning thread's side of watch handles that moved to other threads. The value stays
 * here; each moved handle is served over its own port: a receiver is sent the latest value
 * once per turn in which the version moved (coalesced, as watch delivers anyway), a sender's
 * values become new versions here.
 */

/** Posts `msg`; a value that cannot be cloned stays here (the far side keeps the one it has). */
function postValue(link: Link, msg: Msg): void {
  try {
    post(link, msg);
  } catch (error) {
    delete msg.u;
    delete msg.i;
    delete msg.a;
    if (msg.e !== undefined) msg.e = [uncloneable(error)];
    if (Object.keys(msg).length !== 0) postValue(link, msg);
  }
}

/** Serves a receiver in another thread (and the receivers cloned from it there). */
class ReceiverHost<T> implements LinkHandler {
  readonly #shared: Shared<T>;
  readonly #link: Link;
  /** The version that thread has. */
  #sent: number;
  /** Receivers in that thread beyond the first. */
  #extra = 0;
  #cancel: (() => void) | null = null;
  #gone = false;

  /** @param first whether the far mirror still needs the current value (a receiver made there). */
  constructor(shared: Shared<T>, port: PortLike, first: boolean) {
    this.#shared = shared;
    this.#link = new Link(port, this);
    this.#sent = shared.version;
    if (first) postValue(this.#link, { u: [shared.value], i: 1 });
    this.#watch();
    if (shared.ended) this.#link.wake();
  }

  #watch(): void {
    if (this.#cancel === null && !this.#gone) {
      this.#cancel = this.#shared.notify.watch(() => {
        this.#cancel = null;
        this.#link.wake();
      });
    }
  }

  onMessage(msg: Msg): void {
    if (this.#gone) return;
    const shared = this.#shared;
    if (msg.d !== undefined) {
      this.#extra += msg.d;
      for (let i = 0; i < msg.d; i++) shared.addReceiver();
      for (let i = msg.d; i < 0; i++) shared.dropReceiver();
    }
    if (msg.x === 2) this.#leave();
  }

  onFlush(): void {
    if (this.#gone) return;
    const shared = this.#shared;
    const msg: Msg = {};
    if (shared.version !== this.#sent) {
      this.#sent = shared.version;
      msg.u = [shared.value];
    }
    if (shared.failure !== null) msg.e = [shared.failure.reason];
    else if (shared.senders === 0) msg.x = 1;
    if (msg.u !== undefined || msg.e !== undefined || msg.x !== undefined) postValue(this.#link, msg);
    if (msg.e !== undefined || msg.x !== undefined) this.#leave();
    else this.#watch();
  }

  onClose(): void {
    this.#leave();
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#cancel?.();
    this.#cancel = null;
    this.#link.close();
    const extra = this.#extra;
    this.#extra = 0;
    for (let i = 0; i <= extra; i++) this.#shared.dropReceiver();
  }
}

/**
 * Serves the senders that moved to one other thread: the latest value each turn becomes a new
 * version here (stored even if the last receiver left meanwhile, as `sendReplace` does); the
 * value, the counts and the failure go there as they change, so its `borrow()` and
 * `sendModify` see the latest value. The thread ending drops its handles.
 */
class SenderHost<T> implements LinkHandler {
  readonly #shared: Shared<T>;
  readonly #link: Link;
  #strong = 1;
  /** The version that thread has; and the last of its sends taken here. */
  #sent: number;
  #applied = 0;
  #told = [-1, -1, 0];
  #cancel: (() => void) | null = null;
  #gone = false;

  constructor(shared: Shared<T>, port: PortLike) {
    this.#shared = shared;
    this.#link = new Link(port, this);
    this.#sent = shared.version;
    (shared.counted ??= new Set()).add(this.#wake);
    this.#watch();
  }

  readonly #wake = (): void => this.#link.wake();

  #watch(): void {
    if (this.#cancel === null && !this.#gone) {
      this.#cancel = this.#shared.notify.watch(() => {
        this.#cancel = null;
        this.#link.wake();
      });
    }
  }

  onMessage(msg: Msg): void {
    const shared = this.#shared;
    if (msg.u !== undefined) {
      this.#applied = msg.a ?? this.#applied;
      if (shared.failure === null) {
        shared.replace(msg.u[0] as T);
        this.#sent = shared.version; // its own value: no need to send it back
      }
    }
    if (msg.p !== undefined) {
      for (const port of msg.p) {
        shared.addReceiver();
        new ReceiverHost(shared, port, true);
      }
    }
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
    if (this.#gone) return;
    const shared = this.#shared;
    const told = this.#told;
    const msg: Msg = {};
    if (shared.version !== this.#sent) {
      this.#sent = shared.version;
      msg.u = [shared.value];
      msg.a = this.#applied;
    }
    if (shared.receivers !== told[0]) msg.c = told[0] = shared.receivers;
    const others = shared.senders - this.#strong;
    if (others !== told[1]) msg.s = told[1] = others;
    if (shared.failure !== null && told[2] === 0) {
      told[2] = 1;
      msg.f = 1;
    }
    if (Object.keys(msg).length !== 0) postValue(this.#link, msg);
    this.#watch();
  }

  onClose(): void {
    this.#gone = true;
    this.#cancel?.();
    this.#shared.counted?.delete(this.#wake);
    this.#count(-this.#strong);
  }

  #count(delta: number): void {
    this.#strong += delta;
    for (let i = 0; i < delta; i++) this.#shared.addSender();
    for (let i = delta; i < 0; i++) this.#shared.dropSender();
  }
}

function helloOf<T>(shared: Shared<T>, end: 'sender' | 'receiver', changed: boolean): WatchHello {
  return {
    kind: 'watch',
    end,
    bound: 1,
    slotted: false,
    maxPending: 0,
    others: shared.senders - 1,
    value: shared.value,
    changed,
    receivers: shared.receivers,
  };
}

/** Moves a sender of `shared` (its handle consumed by the caller once this returns): the far port. */
export function moveSender<T>(shared: Shared<T>): MessagePort {
  if (shared instanceof RemoteSender) return shared.moveOut();
  const { near, far } = portPair(helloOf(shared, 'sender', false)); // a DataCloneError throws here
  new SenderHost(shared, near);
  return far;
}

/** Moves a receiver that had (or had not) seen the current value: returns the far port. */
export function moveReceiver<T>(shared: Shared<T>, changed: boolean): MessagePort {
  const { near, far } = portPair(helloOf(shared, 'receiver', changed));
  new ReceiverHost(shared, near, false);
  return far;
}
