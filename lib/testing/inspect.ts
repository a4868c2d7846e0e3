import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { show } from '../internal/validate.js';

/**
 * What {@link inspect} sees of a channel through one of its handles, at that moment. A plain
 * object: it does not change as the channel does.
 *
 * The fields, per kind (an mpmc channel's sender is mpsc's `Sender` class and reports
 * `kind: 'mpsc'`):
 *
 * | field | mpsc, mpmc | broadcast | watch | oneshot |
 * | --- | --- | --- | --- | --- |
 * | `buffered` | values in the buffer | sender: values still held for the slowest receiver; receiver: values it has not read yet | receiver: 1 if the current value is a version it has not seen, else 0; sender: 0 | 1 once the value was sent, else 0 |
 * | `pendingSends` | sends and reserves waiting for a slot | 0 (sends never wait) | 0 | 0 |
 * | `waitingReceives` | `recv`/`recvMany`/iterator reads waiting for a value | reads and select branches waiting on the channel, all receivers together | `changed()` waits, iterator reads and select branches | `await rx`, iterator reads and select branches |
 * | `permits` | permits granted and not yet used or released | 0 | 0 | 0 |
 * | `senders` | live strong senders (weak ones do not count) | live senders | live senders | 1 while a value can still be sent, else 0 |
 * | `closed` | sender: the receiving side is closed (`tx.isClosed`); receiver: no further value can arrive (`rx.isClosed`) | sender: no receiver is left or a sender failed the channel; receiver: `rx.isClosed` | sender: no receiver is left; receiver: `rx.isClosed` | sender: the receiver closed; receiver: a value came or none can come |
 *
 * An Observable subscriber is a consumer, not a waiting receive: it is not counted.
 */
export interface ChannelSnapshot {
  /** The channel's kind, as its handles' brand says. */
  readonly kind: 'mpsc' | 'mpmc' | 'broadcast' | 'watch' | 'oneshot';
  /** Which half was inspected. */
  readonly side: 'sender' | 'receiver';
  /** Values held in the channel for a receiver (see the table). */
  readonly buffered: number;
  /** Sends and reserves waiting for room. */
  readonly pendingSends: number;
  /** Receives waiting for a value or the end. */
  readonly waitingReceives: number;
  /** Permits granted and not yet used or released. */
  readonly permits: number;
  /** Live senders: the channel ends only when this reaches 0. */
  readonly senders: number;
  /** The inspected handle's own `isClosed` (see the table). */
  readonly closed: boolean;
}

interface Inspectable {
  [INSPECT](): HandleSnapshot;
}

/**
 * A snapshot of the channel behind `handle`: any sender or receiver of any kind, from either
 * module build (ESM or CommonJS). See {@link ChannelSnapshot} for what each field means per
 * kind.
 *
 * **Errors:** throws `TypeError` showing `handle` if it is not a sender or receiver of this
 * library (weak senders and permits are not inspected).
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { inspect } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(1);
 * tx.trySend(1);
 * void tx.send(2);                // full: waits
 * tx.tryReserve();               // => undefined
 * inspect(rx);
 * // => { kind: 'mpsc', side: 'receiver', buffered: 1, pendingSends: 1, waitingReceives: 0, permits: 0, senders: 1, closed: false }
 * ```
 */
export function inspect(handle: object): ChannelSnapshot {
  const method = handle !== null && (typeof handle === 'object' || typeof handle === 'function') ? (handle as Partial<Inspectable>)[INSPECT] : undefined;
  if (typeof method !== 'function') {
    throw new TypeError(`Expected \`handle\` to be a sender or receiver of rxjs-channel, got ${show(handle)}`);
  }
  const s = method.call(handle);
  return {
    kind: s.kind,
    side: s.side,
    buffered: s.buffered,
    pendingSends: s.pendingSends,
    waitingReceives: s.waitingReceives,
    permits: s.permits,
    senders: s.senders,
    closed: s.closed,
  };
}

/** The snapshot as one line: `mpsc receiver: buffered 1, pendingSends 1, ...`. */
export function describeSnapshot(s: ChannelSnapshot): string {
  return `${s.kind} ${s.side}: buffered ${s.buffered}, pendingSends ${s.pendingSends}, waitingReceives ${s.waitingReceives}, permits ${s.permits}, senders ${s.senders}, closed ${s.closed}`;
}

/**
 * Asserts that nothing is waiting on the channel behind `handle`: no pending send or reserve,
 * no waiting receive, no outstanding permit. Buffered values and live senders are allowed (a
 * test decides what it expects of those with {@link inspect}). Call it after
 * `await flush()`, so that what was about to settle has settled.
 *
 * **Errors:** throws `Error` whose message shows the snapshot when something waits;
 * `TypeError` as {@link inspect} for what is not a handle.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { expectIdle, flush } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(1);
 * const reading = rx.recv();
 * let message = '';
 * try { expectIdle(rx); } catch (e) { message = (e as Error).message; }
 * message.includes('1 waiting receive'); // => true
 * await tx.send(1);
 * await reading;                         // => 1
 * await flush();
 * expectIdle(rx);                        // passes: nothing waits
 * ```
 */
export function expectIdle(handle: object): void {
  const s = inspect(handle);
  const waiting: string[] = [];
  if (s.pendingSends !== 0) waiting.push(`${s.pendingSends} pending send${s.pendingSends === 1 ? '' : 's'}`);
  if (s.waitingReceives !== 0) waiting.push(`${s.waitingReceives} waiting receive${s.waitingReceives === 1 ? '' : 's'}`);
  if (s.permits !== 0) waiting.push(`${s.permits} outstanding permit${s.permits === 1 ? '' : 's'}`);
  if (waiting.length === 0) return;
  throw new Error(`expectIdle: the ${s.kind} channel is not idle: ${waiting.join(', ')}\n  ${describeSnapshot(s)}`);
}
