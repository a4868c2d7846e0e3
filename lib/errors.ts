/**
 * Errors raised by rxjs-channel.
 *
 * Programmer mistakes (a capacity of `0`, a limit that is not an integer) throw the built-in
 * `TypeError` / `RangeError` with the bad value in the message. Conditions of a channel (it is
 * closed, a handle was dropped, a receiver is already in use) are `ChannelError` subclasses, one
 * per situation, each with its `name` set and its data on fields, never in the message.
 *
 * @module
 */

/**
 * Base class of every channel condition raised by this library.
 *
 * Catch it to handle all of them; check `instanceof` a subclass (or `name`) to tell them apart.
 *
 * @example
 * ```ts
 * import { mpsc, ChannelError } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<number>(1);
 * rx.close();
 * let caught: unknown;
 * try { tx.trySend(1); } catch (e) { caught = e; }
 * caught instanceof ChannelError; // => true
 * ```
 */
export class ChannelError extends Error {
  /** Always `'ChannelError'`: tells this condition apart without `instanceof`. */
  override name = 'ChannelError';
}

/**
 * A value could not be sent because the receiving side is closed (the receiver called
 * `close()`, was disposed, or a sender called `error(e)`).
 *
 * The unsent value is handed back on {@link SendError.value}, so nothing is lost silently.
 *
 * @example
 * ```ts
 * import { mpsc, SendError } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<string>(4);
 * rx.close();
 * await tx.send('hello').catch((e: SendError<string>) => e.value); // => 'hello'
 * ```
 */
export class SendError<T = unknown> extends ChannelError {
  /** Always `'SendError'`: tells this condition apart without `instanceof`. */
  override name = 'SendError';
  /** The value that was not sent (`undefined` for a failed `reserve`). */
  readonly value: T;

  /** @param value - the value that could not be sent. */
  constructor(value: T, message = 'cannot send: the channel is closed') {
    super(message);
    this.value = value;
  }
}

/**
 * A sender handle was used after `drop()` (or after its `using` scope ended).
 *
 * A dropped handle no longer keeps the channel open, so it may not send, reserve, clone or
 * downgrade. Reading its properties is still allowed.
 *
 * @example
 * ```ts
 * import { mpsc, SenderDroppedError } from 'rxjs-channel';
 * const [tx] = mpsc.channel<number>(1);
 * tx.drop();
 * let caught: unknown;
 * try { tx.trySend(1); } catch (e) { caught = e; }
 * caught instanceof SenderDroppedError; // => true
 * ```
 */
export class SenderDroppedError extends ChannelError {
  /** Always `'SenderDroppedError'`: tells this condition apart without `instanceof`. */
  override name = 'SenderDroppedError';
  constructor(message = 'this sender handle was dropped') {
    super(message);
  }
}

/**
 * A receiver handle was used after `drop()` in a way that needs a live handle (an mpmc
 * receiver's `clone()`). Receiving from a dropped mpmc handle is not an error: it sees the end.
 *
 * @example
 * ```ts
 * import { mpmc, ReceiverDroppedError } from 'rxjs-channel';
 * const [, rx] = mpmc.channel<number>(1);
 * const other = rx.clone();
 * rx.drop();
 * let caught: unknown;
 * try { rx.clone(); } catch (e) { caught = e; }
 * caught instanceof ReceiverDroppedError; // => true
 * other.receiverCount;                    // => 1
 * ```
 */
export class ReceiverDroppedError extends ChannelError {
  /** Always `'ReceiverDroppedError'`: tells this condition apart without `instanceof`. */
  override name = 'ReceiverDroppedError';
  constructor(message = 'this receiver handle was dropped') {
    super(message);
  }
}

/**
 * A receiver was asked for values while another consumer holds it.
 *
 * An mpsc receiver has a single consumer at a time: one subscriber, one async iterator, or
 * direct `recv` calls. A second concurrent one gets this error at once; a consumer that comes
 * after the first one let go (unsubscribed, `break`) is served normally.
 *
 * @example
 * ```ts
 * import { mpsc, ReceiverBusyError } from 'rxjs-channel';
 * const [, rx] = mpsc.channel<number>(1);
 * rx.subscribe();
 * let caught: unknown;
 * rx.subscribe({ error: (e) => (caught = e) });
 * caught instanceof ReceiverBusyError; // => true
 * ```
 */
export class ReceiverBusyError extends ChannelError {
  /** Always `'ReceiverBusyError'`: tells this condition apart without `instanceof`. */
  override name = 'ReceiverBusyError';
  constructor(message = 'the receiver is already being consumed') {
    super(message);
  }
}

/**
 * A value did not fit: too many sends were already waiting (`maxPendingSends`), or a push
 * source overflowed a channel whose policy is `'error'`.
 *
 * The value that did not fit is handed back on {@link ChannelOverflowError.value}.
 *
 * @example
 * ```ts
 * import { mpsc, ChannelOverflowError } from 'rxjs-channel';
 * const [tx] = mpsc.channel<number>(1, { maxPendingSends: 0 });
 * tx.trySend(1);
 * await tx.send(2).catch((e: ChannelOverflowError<number>) => e.value); // => 2
 * ```
 */
export class ChannelOverflowError<T = unknown> extends ChannelError {
  /** Always `'ChannelOverflowError'`: tells this condition apart without `instanceof`. */
  override name = 'ChannelOverflowError';
  /** The value that did not fit. */
  readonly value: T;

  /** @param value - the value that did not fit. */
  constructor(value: T, message = 'the channel overflowed') {
    super(message);
    this.value = value;
  }
}

/**
 * A receive can never complete: the oneshot sender was dropped without sending (or the
 * receiver closed before a value arrived), or every watch sender was dropped.
 *
 * @example
 * ```ts
 * import { oneshot, RecvError } from 'rxjs-channel';
 * const [tx, rx] = oneshot.channel<number>();
 * tx.drop();
 * const error = await rx.then(() => null, (e: unknown) => e);
 * error instanceof RecvError; // => true
 * ```
 */
export class RecvError extends ChannelError {
  /** Always `'RecvError'`: tells this condition apart without `instanceof`. */
  override name = 'RecvError';
  constructor(message = 'the channel closed before a value arrived') {
    super(message);
  }
}

/**
 * A broadcast receiver fell behind: the values it had not received yet were overwritten by
 * newer ones. {@link LaggedError.skipped} tells how many it missed; the next receive continues
 * from the oldest value the channel still holds.
 *
 * @example
 * ```ts
 * import { broadcast, LaggedError } from 'rxjs-channel';
 * const [tx, rx] = broadcast.channel<number>(2);
 * for (const n of [1, 2, 3]) tx.send(n);
 * let skipped = 0;
 * try { await rx.recv(); } catch (e) { if (e instanceof LaggedError) skipped = e.skipped; }
 * skipped;         // => 1
 * await rx.recv(); // => 2
 * ```
 */
export class LaggedError extends ChannelError {
  /** Always `'LaggedError'`: tells this condition apart without `instanceof`. */
  override name = 'LaggedError';
  /** How many values this receiver missed. */
  readonly skipped: number;

  /** @param skipped - how many values the receiver missed. */
  constructor(skipped: number, message = 'the receiver lagged behind and missed values') {
    super(message);
    this.skipped = skipped;
  }
}
