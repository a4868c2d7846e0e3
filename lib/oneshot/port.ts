import { rethrowLater } from '../internal/schedule.js';
import { Link, openPort, portPair, type Batch, type Hello, type LinkHandler, type PortLike } from '../internal/port/link.js';
import type { MessagePortLike } from '../mpsc/port.js';
import { Receiver } from './receiver.js';
import { Sender } from './sender.js';
import { EMPTY, OneshotState, SENT, type ReceiverLink } from './state.js';

/**
 * Oneshot handles across threads. The state (the one value) lives in the thread that made the
 * channel, the owner; a moved sender posts its value there, a moved receiver is posted it from
 * there. So a value crosses one port when one end moved, and two (sender's thread, owner,
 * receiver's thread) when both did. Moving a handle again hands its port back to the owner,
 * which serves the new port directly: never more than the one owning thread in between.
 *
 * Once the value (or the drop) reached a moved receiver, the owner lets go and the settled
 * state lives in the receiver's thread: a move after that is served from there.
 */

const ONESHOT = ['oneshot'] as const;
const HELLO = { kind: 'oneshot', bound: 1, slotted: false, maxPending: 0, others: 0 } as const;

/**
 * The owning thread's side of a oneshot sender that moved: the value (or the drop) arrives
 * here; the receiver's close goes there. The far thread ending counts as a drop.
 */
class SenderHost<T> implements LinkHandler {
  readonly #state: OneshotState<T>;
  readonly #link: Link;

  constructor(state: OneshotState<T>, port: PortLike) {
    this.#state = state;
    this.#link = new Link(port, this);
    if (state.rxClosed) this.#link.wake();
    else void state.tx.wait(undefined).then(() => this.#link.wake());
  }

  onMessage(batch: Batch): void {
    const state = this.#state;
    this.#link.close();
    if (batch.p !== undefined) {
      new SenderHost(state, batch.p[0]!); // the sender moved on: serve its new port directly
      return;
    }
    if (batch.v !== undefined) {
      try {
        state.send(batch.v[0] as T);
      } catch (error) {
        // Cloned here, uncloneable on to the receiver's thread (a transferred port): the value
        // cannot arrive, so the receiver hears of a drop rather than waiting for ever.
        state.dropSender();
        rethrowLater(error);
      }
    } else if (batch.d !== undefined) state.dropSender();
  }

  onFlush(): void {
    if (this.#state.rxClosed) this.#link.post({ x: 1 });
  }

  onClose(): void {
    this.#state.dropSender(); // nothing if the value came first
  }
}

/** Moves the sender of `state` (its handle already spent by the caller). */
export function moveOneshotSender<T>(state: OneshotState<T>): MessagePort {
  if (state instanceof RemoteSenderState) {
    const far = state.moveOut();
    if (far !== null) return far;
  }
  const { near, far } = portPair({ ...HELLO, end: 'sender' });
  new SenderHost(state, near);
  return far;
}

/**
 * The state a oneshot sender opened from a port wraps: a local mirror whose `send` and
 * `dropSender` go to the owning thread, and which learns there of the receiver's close.
 */
class RemoteSenderState<T> extends OneshotState<T> implements LinkHandler {
  readonly #link: Link;

  constructor(port: PortLike, hello: Hello | null) {
    super();
    this.#link = new Link(port, this);
    this.#link.hold(false); // an unsent oneshot sender does not keep its thread alive
    if (hello === null) this.#link.expectHello(ONESHOT, 'sender', () => {});
  }

  /** Posts the value at once (one value: nothing to batch); a `DataCloneError` throws here. */
  override send(value: T, transfer?: readonly Transferable[]): boolean {
    if (this.status !== EMPTY || this.rxClosed) return false;
    this.#link.post({ v: [value] }, transfer);
    this.#link.close();
    return super.send(value);
  }

  override dropSender(): void {
    if (this.status === EMPTY) {
      this.#link.post({ d: -1 });
      this.#link.close();
    }
    super.dropSender();
  }

  /** Hands the sender's port on to the owning thread (null if that link is gone). */
  moveOut(): MessagePort | null {
    if (this.#link.closed || this.status !== EMPTY) return null;
    const { near, far } = portPair({ ...HELLO, end: 'sender' });
    this.#link.post({ p: [near] }, [near]);
    this.#link.close();
    return far;
  }

  onMessage(batch: Batch): void {
    if (batch.x !== undefined) this.closeReceiver();
  }

  onFlush(): void {}

  onClose(): void {
    this.closeReceiver(); // the owning thread ended: nobody will receive
  }
}

/**
 * The owning thread's side of a oneshot receiver that moved: posts the value (or the drop)
 * there as it happens; hears of the receiver's close, of its thread ending (both close the
 * receiver here, as one dropped would) and of its moving further (then serves the new port).
 * Once it posted the outcome it waits for the far side to take it (it closes its port) or to
 * move on before it arrived (then the new port gets it from here).
 */
class ReceiverHost<T> implements LinkHandler, ReceiverLink<T> {
  readonly #state: OneshotState<T>;
  readonly #link: Link;

  constructor(state: OneshotState<T>, port: PortLike) {
    this.#state = state;
    this.#link = new Link(port, this);
    this.#link.hold(false); // the far receiver keeps its own thread alive, not this one
    try {
      if (state.status === SENT) this.value(state.value as T);
      else if (state.status !== EMPTY) this.#link.post(state.rxClosed ? { x: 1 } : { d: -1 });
    } catch (error) {
      this.#link.close(); // a value sent before the move, which cannot be cloned: no move
      throw error;
    }
    state.remote = this;
  }

  value(value: T): void {
    this.#link.post({ v: [value] });
  }

  dropped(): void {
    this.#link.post({ d: -1 });
  }

  onMessage(batch: Batch): void {
    const state = this.#state;
    this.#let();
    if (batch.p !== undefined) new ReceiverHost(state, batch.p[0]!);
    else if (batch.x === 1) state.closeReceiver(); // the far receiver closed
    else this.#gone(); // x: 2, the far receiver has the outcome
  }

  onFlush(): void {}

  onClose(): void {
    this.#let();
    this.#gone();
  }

  /** The far receiver took the outcome, or its thread ended (a receiver dropped): before a value, a close. */
  #gone(): void {
    if (this.#state.status === EMPTY) this.#state.closeReceiver();
  }

  #let(): void {
    if (this.#state.remote === this) this.#state.remote = null;
    this.#link.close();
  }
}

/** Moves the receiver of `state` (its handle already consumed by the caller). */
export function moveOneshotReceiver<T>(state: OneshotState<T>): MessagePort {
  if (state instanceof RemoteReceiverState) {
    const far = state.moveOut();
    if (far !== null) return far;
  }
  const { near, far } = portPair({ ...HELLO, end: 'receiver' });
  new ReceiverHost(state, near);
  return far;
}

/**
 * The state a oneshot receiver opened from a port wraps: settled by what the owning thread
 * posts; its `close()` goes there. The owning thread ending before an outcome counts as the
 * sender dropped.
 */
class RemoteReceiverState<T> extends OneshotState<T> implements LinkHandler {
  readonly #link: Link;

  constructor(port: PortLike, hello: Hello | null) {
    super();
    this.#link = new Link(port, this);
    if (hello === null) this.#link.expectHello(ONESHOT, 'receiver', () => {});
  }

  override closeReceiver(): void {
    if (!this.#link.closed) {
      this.#link.post({ x: 1 });
      this.#link.close();
    }
    super.closeReceiver();
  }

  /** Hands the receiver's port on to the owning thread (null once the outcome is here). */
  moveOut(): MessagePort | null {
    if (this.#link.closed) return null;
    const { near, far } = portPair({ ...HELLO, end: 'receiver' });
    this.#link.post({ p: [near], x: 2 }, [near]);
    this.#link.close(); // what is in flight to here is resent to the new port by the owner
    return far;
  }

  onMessage(batch: Batch): void {
    // The outcome is here: the state now lives in this thread, and the owner lets go (told so
    // in a message too, for runtimes whose ports have no close event).
    this.#link.post({ x: 2 });
    this.#link.close();
    if (batch.v !== undefined) this.send(batch.v[0] as T);
    else if (batch.x !== undefined) super.closeReceiver(); // it had closed before it moved
    else this.dropSender();
  }

  onFlush(): void {}

  onClose(): void {
    this.dropSender(); // the owning thread ended without an outcome (nothing if one came)
  }
}

/**
 * Opens a port made by a oneshot `Sender.intoPort()` in this thread: the moved sender, as an
 * ordinary oneshot {@link Sender}. `send(value)` structured-clones `value` to the receiver's
 * thread (`send(value, { transfer })` moves transferables instead; a value that cannot be
 * cloned throws the `DataCloneError` and the handle stays unspent); `closed()` and `isClosed`
 * follow the receiver there. `intoPort()` moves it on (straight to the channel's thread). The
 * usual use: a reply channel, whose sender goes to a worker with the request.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a receiver.
 *
 * @example
 * ```ts
 * import { oneshot } from 'rxjs-channel';
 * const [tx, rx] = oneshot.channel<string>();
 * const reply = oneshot.senderFromPort<string>(tx.intoPort()); // in a worker, in real use
 * reply.send('done'); // => true
 * await rx;           // => 'done'
 * ```
 */
export function senderFromPort<T>(port: MessagePortLike): Sender<T> {
  const opened = openPort(port, ONESHOT, 'sender');
  return new Sender<T>(new RemoteSenderState<T>(opened.port, opened.hello));
}

/**
 * Opens a port made by a oneshot `Receiver.intoPort()` in this thread: the moved receiver, as
 * an ordinary oneshot {@link Receiver} (`await`, `then`, Observable, `tryRecv`, `close()`,
 * select, `intoPort()` again). The value is structured-cloned from the channel's thread when it
 * is sent; a sender dropped there (or that thread ending first) rejects it with
 * `RecvError`. Its `close()` reaches the sender (`send` returns `false`, `closed()`
 * resolves), and so does this thread ending before the value came.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a sender.
 *
 * @example
 * ```ts
 * import { oneshot } from 'rxjs-channel';
 * const [tx, rx] = oneshot.channel<string>();
 * const remote = oneshot.receiverFromPort<string>(rx.intoPort()); // in a worker, in real use
 * tx.send('hi');      // => true
 * await remote;       // => 'hi'
 * ```
 */
export function receiverFromPort<T>(port: MessagePortLike): Receiver<T> {
  const opened = openPort(port, ONESHOT, 'receiver');
  return new Receiver<T>(new RemoteReceiverState<T>(opened.port, opened.hello));
}
