import { Link, openPort, portPair, type Batch, type Hello, type LinkHandler, type PortLike } from '../internal/port/link.js';
import type { MessagePortLike } from '../mpsc/port.js';
import { Sender } from './sender.js';
import { EMPTY, OneshotState } from './state.js';

const ONESHOT = ['oneshot'] as const;

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
    if (batch.v !== undefined) this.#state.send(batch.v[0] as T);
    else if (batch.d !== undefined) this.#state.dropSender();
    this.#link.close();
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
  const { near, far } = portPair({ kind: 'oneshot', end: 'sender', bound: 1, slotted: false, maxPending: 0, others: 0 });
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
  override send(value: T): boolean {
    if (this.status !== EMPTY || this.rxClosed) return false;
    this.#link.post({ v: [value] });
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

  onMessage(batch: Batch): void {
    if (batch.x !== undefined) this.closeReceiver();
  }

  onFlush(): void {}

  onClose(): void {
    this.closeReceiver(); // the owning thread ended: nobody will receive
  }
}

/**
 * Opens a port made by a oneshot `Sender.intoPort()` in this thread: the moved sender, as an
 * ordinary oneshot {@link Sender}. `send(value)` structured-clones `value` to the receiver's
 * thread (a value that cannot be cloned throws the `DataCloneError` and stays unsent);
 * `closed()` and `isClosed` follow the receiver there. The usual use: a reply channel, whose
 * sender goes to a worker with the request.
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
