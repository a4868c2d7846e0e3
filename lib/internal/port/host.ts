import type { Chan } from '../chan.js';
import { rethrowLater, schedule } from '../schedule.js';
import type { Lend } from '../slots.js';
import { Link, portPair, postValues, tick, type Batch, type LinkHandler, type PortLike } from './link.js';

/**
 * The owning thread's side of a moved handle. The channel's state stays in the thread that
 * created it; each moved handle is served from here over its own port, so a value crosses at
 * most one port whichever thread sends it and whichever receives it.
 */

/**
 * Serves the strong senders that moved to one other thread: lends them slots through the
 * channel's FIFO queue (`lent`), turns each slot into a buffered value when the value
 * arrives, and counts them down when they drop or their thread ends.
 */
export class SenderHost<T> implements LinkHandler {
  readonly #chan: Chan<T, unknown>;
  readonly #link: Link;
  /** Strong handles the far side holds. */
  #strong: number;
  /** Slots asked for and not yet granted. */
  #want = 0;
  /** Slots lent to the far side and not yet used or returned. */
  #lent = 0;
  /** Granted this turn, to post. */
  #grant = 0;
  /** A reserve of ours waits in the channel's queue. */
  #reserving = false;
  /** A fallback to the queue is armed for the end of this turn. */
  #armed = false;
  /** Counts grants, to tell a turn that granted nothing. */
  #progress = 0;
  #closedSent = false;
  #gone = false;

  constructor(chan: Chan<T, unknown>, port: PortLike) {
    this.#chan = chan;
    this.#strong = 1;
    this.#link = new Link(port, this);
    void chan.closed().then(() => {
      if (this.#gone) return;
      this.#want = 0;
      this.#link.wake();
    });
  }

  onMessage(batch: Batch): void {
    const chan = this.#chan;
    if (batch.v !== undefined) {
      const count = batch.v.length;
      this.#lent -= count;
      chan.lent -= count;
      chan.placeHeld(batch.v); // each lent slot becomes its value's
    }
    if (batch.u !== undefined) {
      for (const value of batch.u) {
        try {
          chan.trySend(value as T);
        } catch {
          // The receiving side closed while the value was in flight; the far side hears of it.
        }
      }
    }
    if (batch.r !== undefined) {
      this.#lent -= batch.r;
      chan.lent -= batch.r;
      chan.release(batch.r);
    }
    if (batch.w !== undefined) this.#want = Math.max(0, this.#want + batch.w);
    if (batch.p !== undefined) {
      for (const port of batch.p) {
        new SenderHost(chan, port); // one of our strong handles moved on; it counts there now
        this.#strong--;
      }
    }
    if (batch.d !== undefined) this.#count(batch.d);
    if (batch.e !== undefined) chan.error(batch.e[0]);
    if (batch.x === 2) {
      // The far thread let go for good and closes its port. Slots granted to it and still in
      // flight will never be used: take back everything lent now, as its close event would
      // (a runtime without that event, such as Chromium, would otherwise leak them).
      this.onClose();
      this.#link.close();
      return;
    }
    chan.settle();
    this.#pump();
  }

  onFlush(): void {
    const batch: Batch = {};
    if (this.#grant !== 0) {
      batch.n = this.#grant;
      batch.o = this.#chan.strong - this.#strong;
      this.#grant = 0;
    }
    if (this.#chan.isSendClosed && !this.#closedSent) {
      this.#closedSent = true;
      batch.x = 1;
    }
    if (batch.n !== undefined || batch.x !== undefined) this.#link.post(batch);
  }

  onClose(): void {
    this.#gone = true;
    const chan = this.#chan;
    chan.lent -= this.#lent;
    chan.release(this.#lent);
    this.#lent = 0;
    this.#count(-this.#strong);
    chan.settle();
  }

  #count(delta: number): void {
    const chan = this.#chan;
    this.#strong += delta;
    if (delta > 0) chan.strong += delta;
    for (let i = delta; i < 0; i++) chan.dropSender();
  }

  /** Whether the far side waits for slots this host could lend. */
  get wants(): boolean {
    return this.#want !== 0 && !this.#gone && !this.#chan.isSendClosed;
  }

  /**
   * Asks the channel's {@link Lender} for the slots the far side wants: it lends free slots in
   * bulk, shared among the threads that want them. When parties of this thread wait in the
   * channel's FIFO queue (or a whole turn passed without a slot), this host also takes a place
   * there (one reserve), so the far thread is served in batches when it is alone, and in its
   * turn when it is not (no starvation either way).
   */
  #pump(): void {
    const chan = this.#chan;
    if (!this.wants) return;
    lender(chan).ask(this);
    if (chan.pending !== 0) this.#reserve();
    else if (!this.#armed && !this.#reserving) {
      this.#armed = true;
      const seen = this.#progress;
      tick(() => {
        this.#armed = false;
        if (this.wants && this.#progress === seen) this.#reserve();
      });
    }
  }

  /** Lends up to `most` free slots (the {@link Lender} found them free); returns how many. */
  take(most: number): number {
    const chan = this.#chan;
    let granted = 0;
    while (granted < most && this.#want !== 0 && chan.tryAcquire()) {
      this.#want--;
      granted++;
    }
    if (granted !== 0) {
      chan.lent += granted;
      this.#progress++;
      this.#lent += granted;
      this.#grant += granted;
      this.#link.wake();
    }
    return granted;
  }

  /** Posts the grants now: the far thread may use them while this one keeps consuming. */
  post(): void {
    this.#link.flushNow();
  }

  #reserve(): void {
    if (this.#reserving || this.#gone) return;
    const chan = this.#chan;
    // No AbortSignal (a listener per reserve costs more than the reserve): a reserve granted
    // after the far side went away, or asked no more, gives its slot straight back.
    this.#reserving = true;
    chan.reserve(undefined).then(
      () => {
        this.#reserving = false;
        if (this.#gone || this.#want === 0) {
          chan.releasePermit();
          return;
        }
        chan.permits--;
        chan.lent++;
        this.#lent++;
        this.#want--;
        this.#grant++;
        this.#progress++;
        this.#link.wake();
        this.#pump();
      },
      () => {
        this.#reserving = false; // the channel closed
      },
    );
  }
}

/**
 * Lends one channel's free slots to its hosts whose far threads want them (there is one per
 * channel, made on first use). It waits for enough slots to be worth a message (half the
 * bound, or any once nothing is buffered: the receiver caught up) through the channel's
 * {@link Lend} hook, which costs a field test per release; then, at the end of the turn (a
 * consumer's run of receives is over, so one message returns them all), shares what is free
 * among the hosts that want slots, round robin, each getting an equal part, and posts each
 * host's grant at once. Slots still go to this thread's waiting parties first (release
 * hands them over before the hook runs), and hosts queue among those (see SenderHost's pump).
 */
class Lender<T> implements Lend {
  readonly at: number;
  readonly #chan: Chan<T, unknown>;
  /** Hosts that want slots, in the order they are served next. */
  #hosts: SenderHost<T>[] = [];
  #sharing = false;

  constructor(chan: Chan<T, unknown>) {
    this.#chan = chan;
    this.at = Math.max(1, Math.ceil(chan.bound / 2));
  }

  /** `host` wants slots. */
  ask(host: SenderHost<T>): void {
    if (!this.#hosts.includes(host)) this.#hosts.push(host);
    if (this.#sharing) return;
    const chan = this.#chan;
    if (chan.free >= this.at || (chan.free !== 0 && chan.length === 0)) this.wake();
    else chan.lend = this;
  }

  wake(): void {
    if (this.#sharing) return;
    this.#sharing = true;
    tick(this.#share);
  }

  readonly #share = (): void => {
    this.#sharing = false;
    const chan = this.#chan;
    let hosts = this.#hosts.filter((host) => host.wants);
    const served = new Set<SenderHost<T>>();
    let free = chan.free;
    while (free !== 0 && hosts.length !== 0) {
      const part = Math.ceil(free / hosts.length);
      const still: SenderHost<T>[] = [];
      for (const host of hosts) {
        const granted = free === 0 ? 0 : host.take(Math.min(part, free));
        free -= granted;
        if (granted !== 0) served.add(host);
        if (host.wants) still.push(host);
      }
      if (still.length === hosts.length && served.size === 0) break; // nothing could be taken
      hosts = still;
    }
    // The first served goes last next time, so the rounded-up parts go round.
    if (hosts.length > 1) hosts.push(hosts.shift()!);
    this.#hosts = hosts;
    for (const host of served) host.post();
    if (hosts.length !== 0) chan.lend = this;
  };
}

const lenders = /* @__PURE__ */ new WeakMap<object, Lender<unknown>>();

function lender<T>(chan: Chan<T, unknown>): Lender<T> {
  let found = lenders.get(chan) as Lender<T> | undefined;
  if (found === undefined) lenders.set(chan, (found = new Lender(chan)) as never);
  return found;
}

/** What a kind does when its moved receiver's far side lets go or its thread ends. */
export interface ReceiverPolicy<T> {
  /** The far side closed the channel (`rx.close()` there). */
  close(chan: Chan<T, unknown>): void;
  /**
   * The far side is gone (dropped every handle, or its thread ended) with `unacked` values
   * handed to it and not taken by a consumer; their slots are still lent.
   */
  gone(chan: Chan<T, unknown>, unacked: T[]): void;
  /**
   * A handle of the far side moved on while that side keeps others (an mpmc clone): the policy
   * for the extra handle now served from here (it counts one more receiver handle).
   */
  another?(): ReceiverPolicy<T>;
}

/**
 * Serves a receiver that moved to another thread: sends it buffered values as it opens its
 * window, each keeping its slot (`lent`) until the far consumer took it and acknowledged.
 *
 * Moving on: when the far side moves its receiver further it sends the new port back here
 * (`p`, with `x: 2` when it was its last handle, after a final acknowledgement). The values
 * handed to it and not acknowledged are exactly those in flight or buffered there, oldest
 * first; this thread still holds them (`unacked`), so the host of the new port sends them
 * first (`backlog`), ahead of anything still queued, and the far side drops its copies. A
 * value so crosses one port to whoever finally takes it, never a second one through the
 * thread it passed.
 *
 * After posting the end of the stream the port stays open until the far side closes it (it
 * does on the end), so a move racing the end still reaches this thread.
 */
export class ReceiverHost<T> implements LinkHandler {
  readonly #chan: Chan<T, unknown>;
  readonly #link: Link;
  readonly #policy: ReceiverPolicy<T>;
  /** One consumer (mpsc): no other receiving thread to take turns with. */
  readonly #single: boolean;
  #credit = 0;
  /** Values handed over and not yet acknowledged, oldest first. */
  #unacked: T[];
  /** Values a far side that moved on had not taken: they go to this port first. */
  readonly #backlog: T[];
  #next = 0;
  #out: T[] = [];
  #end: Batch | null = null;
  #ended = false;
  #gone = false;

  /** @param carried values handed to a far side that moved on, not taken there (slots lent). */
  constructor(chan: Chan<T, unknown>, port: PortLike, policy: ReceiverPolicy<T>, carried: T[] = []) {
    this.#chan = chan;
    this.#policy = policy;
    this.#single = policy === SINGLE_CONSUMER;
    this.#backlog = carried;
    this.#unacked = carried.slice();
    this.#link = new Link(port, this);
  }

  onMessage(batch: Batch): void {
    const chan = this.#chan;
    if (batch.k !== undefined) this.#credit += batch.k;
    if (batch.n !== undefined) {
      const n = batch.n;
      this.#unacked.splice(0, n);
      this.#credit += n;
      chan.lent -= n;
      chan.release(n);
    }
    if (batch.p !== undefined && this.#adopt(batch.p, batch.x === 2)) return;
    if (batch.x === 1) this.#policy.close(chan);
    if (batch.x === 2) {
      this.#leave();
      return;
    }
    chan.settle();
    this.#pump();
  }

  /**
   * Serves the ports the far side moved handles into. With `last`, the far side let go of its
   * last handle into the last port: that port takes over what was handed to it. Returns
   * whether this host is done.
   */
  #adopt(ports: PortLike[], last: boolean): boolean {
    const chan = this.#chan;
    const others = last ? ports.length - 1 : ports.length;
    for (let i = 0; i < others; i++) new ReceiverHost(chan, ports[i]!, this.#policy.another?.() ?? this.#policy);
    if (!last) return false;
    this.#gone = true;
    this.#link.close();
    const carried = this.#unacked;
    this.#unacked = [];
    this.#out = [];
    new ReceiverHost(chan, ports[others]!, this.#policy, carried);
    chan.settle();
    return true;
  }

  onFlush(): void {
    if (this.#single && !this.#gone && !this.#ended) this.#pull(Infinity); // what was sent since the wake
    const out = this.#out;
    const end = this.#end;
    if (out.length === 0 && end === null) return;
    this.#out = [];
    this.#end = null;
    const batch: Batch = end ?? {};
    if (out.length !== 0) batch.o = this.#chan.strong;
    postValues(this.#link, batch, 'v', out, [], (index, error) => {
      // Sent in this thread, uncloneable there: the value is dropped (its slot freed) and the
      // error surfaces as an uncaught exception, as a failing callback's would.
      const value = out[index];
      const i = this.#unacked.indexOf(value);
      if (i >= 0) this.#unacked.splice(i, 1);
      this.#credit++;
      this.#chan.lent--;
      this.#chan.release(1);
      rethrowLater(error);
    });
    if (end !== null) return; // the far side closes the port on the end (or moves on)
    this.#chan.settle();
    this.#pump();
  }

  onClose(): void {
    this.#leave();
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#link.close();
    const unacked = this.#unacked;
    this.#unacked = [];
    this.#out = [];
    this.#next = this.#backlog.length;
    this.#policy.gone(this.#chan, unacked);
  }

  readonly #pump = (): void => {
    if (this.#gone || this.#ended) return;
    if (!this.#single) {
      // Receivers that share the queue take turns through the channel's distributor; this
      // host's own backlog (values a far side that moved on had not taken) goes first.
      if (this.#pullBacklog() !== 0) this.#link.wake();
      distributor(this.#chan).want(this);
      return;
    }
    const sent = this.#pull(Infinity);
    if (this.#ended || this.#credit === 0) return;
    // A single consumer's flush, due at the end of this turn, takes what is sent meanwhile and
    // then watches again: one watch per turn, not one per value.
    if (sent === 0) this.#chan.watchRecv(this.#wake);
  };

  /** Room in the far side's window for more values (for the {@link Distributor}). */
  get room(): number {
    return this.#gone || this.#ended ? 0 : this.#credit;
  }

  /** Whether this host still serves its port (for the {@link Distributor}). */
  get serving(): boolean {
    return !this.#gone && !this.#ended;
  }

  /** Moves up to `most` values into this turn's batch (for the {@link Distributor}). */
  take(most: number): number {
    return this.#gone || this.#ended ? 0 : this.#pull(most);
  }

  /** The backlog, ahead of anything queued, as far as the window has room. */
  #pullBacklog(): number {
    let sent = 0;
    const backlog = this.#backlog;
    while (this.#credit !== 0 && this.#next < backlog.length) {
      // Already taken from the channel, and already lent and unacked: they go first.
      this.#credit--;
      this.#out.push(backlog[this.#next++]!);
      sent++;
    }
    if (this.#next === backlog.length && backlog.length !== 0) {
      backlog.length = this.#next = 0;
    }
    return sent;
  }

  /**
   * Moves what the far side has room for (at most `most` queued values) into this turn's
   * batch: the backlog first, then buffered values (each keeps its slot, lent, until
   * acknowledged); notices the end of the stream once nothing is left. Returns how many
   * values it moved.
   */
  #pull(most: number): number {
    const chan = this.#chan;
    let sent = this.#pullBacklog();
    while (this.#credit !== 0 && chan.length !== 0 && most-- > 0) {
      // Take the value but keep its slot: it is lent to the far side until acknowledged.
      chan.taken++;
      const value = chan.tryRecv() as T;
      chan.lent++;
      this.#credit--;
      this.#out.push(value);
      this.#unacked.push(value);
      sent++;
    }
    if (sent !== 0) this.#link.wake();
    if (chan.length === 0 && chan.isFinished) {
      this.#ended = true;
      let end: Batch = { x: 1 };
      try {
        chan.pollRecv();
      } catch (reason) {
        end = { e: [reason] };
      }
      this.#end = end;
      this.#link.wake();
    }
    return sent;
  }

  readonly #wake = (): void => schedule(this.#pump);
}

/**
 * Hands a shared queue's values (mpmc) to the hosts of the receivers that moved to other
 * threads, in turns: one watch on the channel for all of them, and on each wake every host
 * with room in its far window takes its part of what is buffered, the one that waited longest
 * first; a host served goes to the back. Per-host watches would let a stale wake take the
 * value a fresher one was woken for, so that two threads took every job while the others
 * idled.
 */
class Distributor<T> {
  readonly #chan: Chan<T, unknown>;
  /** Hosts in the order they are served next. */
  #hosts: ReceiverHost<T>[] = [];
  #scheduled = false;
  #watching = false;

  constructor(chan: Chan<T, unknown>) {
    this.#chan = chan;
  }

  /** `host` has room (or news): serve it with the others, in turn. */
  want(host: ReceiverHost<T>): void {
    if (!this.#hosts.includes(host)) this.#hosts.push(host);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    schedule(this.#share);
  }

  readonly #wake = (): void => {
    this.#watching = false;
    this.#schedule();
  };

  readonly #share = (): void => {
    this.#scheduled = false;
    const chan = this.#chan;
    const hosts = this.#hosts.filter((host) => host.serving);
    const served: ReceiverHost<T>[] = [];
    for (;;) {
      const open = hosts.filter((host) => host.room !== 0);
      if (chan.length === 0 || open.length === 0) break;
      const part = Math.ceil(chan.length / open.length);
      for (const host of open) {
        if (chan.length === 0) break;
        if (host.take(part) !== 0 && !served.includes(host)) served.push(host);
      }
    }
    // A stream that ended: each host notices it (and posts the end) once nothing is left.
    if (chan.length === 0 && chan.isFinished) for (const host of hosts) host.take(0);
    this.#hosts = [...hosts.filter((host) => !served.includes(host) && host.serving), ...served.filter((host) => host.serving)];
    if (!this.#watching && this.#hosts.some((host) => host.room !== 0)) {
      this.#watching = true;
      chan.watchRecv(this.#wake);
    }
  };
}

const distributors = /* @__PURE__ */ new WeakMap<object, Distributor<unknown>>();

function distributor<T>(chan: Chan<T, unknown>): Distributor<T> {
  let found = distributors.get(chan) as Distributor<T> | undefined;
  if (found === undefined) distributors.set(chan, (found = new Distributor(chan)) as never);
  return found;
}

/** Moves a strong sender of `chan` (the caller consumed its handle): returns the far port. */
export function hostSender<T>(chan: Chan<T, unknown>): MessagePort {
  const slotted = chan.config.overflow === 'wait' && chan.bound !== Infinity;
  const { near, far } = portPair({
    kind: 'queue',
    end: 'sender',
    bound: chan.bound,
    slotted,
    maxPending: chan.config.maxPendingSends,
    others: chan.strong - 1,
  });
  new SenderHost(chan, near);
  return far;
}

/** Moves the receiver of `chan` (`kind` names it for the far side): returns the far port. */
export function hostReceiver<T>(chan: Chan<T, unknown>, kind: string, policy: ReceiverPolicy<T>): MessagePort {
  const { near, far } = portPair({ kind, end: 'receiver', bound: chan.bound, slotted: true, maxPending: 0, others: chan.strong });
  new ReceiverHost(chan, near, policy);
  return far;
}

/**
 * The single-consumer policy (mpsc): the far receiver's `close()` closes the channel; the far
 * thread ending closes it too, and the values it had not taken are gone with it (their slots
 * are freed, so the senders see the close rather than a full channel).
 */
export const SINGLE_CONSUMER: ReceiverPolicy<unknown> = {
  close(chan) {
    chan.close();
  },
  gone(chan, unacked) {
    chan.close();
    chan.lent -= unacked.length;
    chan.release(unacked.length);
    chan.settle();
  },
};

/**
 * The shared-queue policy (mpmc): values handed to a far receiver and not taken by one of its
 * consumers go back into the channel for another receiver; the far handle counts as dropped.
 */
export function sharedQueue<T>(dropHandle: () => void, addHandle?: () => void): ReceiverPolicy<T> {
  return {
    another() {
      addHandle?.();
      return this;
    },
    close(chan) {
      chan.close();
    },
    gone(chan, unacked) {
      chan.requeue(unacked);
      dropHandle();
      chan.settle();
    },
  };
}
