/**
 * Protocol brands: how a handle says what it is, across module builds.
 *
 * A dependency that `require`s this package gets the CommonJS build's classes; an app that
 * `import`s it gets the ESM build's. `instanceof` and module-local symbols cannot recognise a
 * handle made by the other build, so every protocol check goes through keys registered with
 * `Symbol.for`, which both builds (and every realm in one thread) share.
 */

/** Key of a receiver's kind: `'mpsc' | 'mpmc' | 'oneshot' | 'broadcast' | 'watch'`. */
export const RECEIVER: unique symbol = Symbol.for('rxjs-channel.receiver') as never;

/** Key of a sender's kind, on every sender class. */
export const SENDER: unique symbol = Symbol.for('rxjs-channel.sender') as never;

/** The receiver kinds, as their brands spell them. */
export type ReceiverKind = 'mpsc' | 'mpmc' | 'oneshot' | 'broadcast' | 'watch';

/** The brand of `value` if it is a receiver of this library (from either build), else undefined. */
export function receiverKind(value: unknown): ReceiverKind | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  const kind = (value as { [RECEIVER]?: unknown })[RECEIVER];
  return typeof kind === 'string' ? (kind as ReceiverKind) : undefined;
}

/** Whether `value` is a receiver of this library, from either build. */
export function isReceiver(value: unknown): boolean {
  return receiverKind(value) !== undefined;
}

/** The brand of `value` if it is a sender of this library (from either build), else undefined. */
export function senderKind(value: unknown): ReceiverKind | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  const kind = (value as { [SENDER]?: unknown })[SENDER];
  return typeof kind === 'string' ? (kind as ReceiverKind) : undefined;
}
