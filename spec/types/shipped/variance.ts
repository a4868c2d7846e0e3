/**
 * Shipped-types test: variance. A sender accepts values, so a sender of a narrow type must not
 * pass for a sender of a wider one (it would let 'zzz' into a channel of 'a' | 'b'); a receiver
 * yields values, so a receiver of a narrow type does pass for a receiver of a wider one.
 * TypeScript checks methods bivariantly, so this holds only with `in` / `out` annotations on
 * the classes' type parameters (and `NoInfer` on `select.send`'s value).
 *
 * broadcast and watch senders also give values out (`subscribe()` returns a receiver, watch's
 * `borrow()` returns the value): they are invariant, and neither direction is assignable.
 */
import { broadcast, mpmc, mpsc, oneshot, select, watch } from 'rxjs-channel';

type AB = 'a' | 'b';

declare const mpscNarrow: mpsc.Sender<AB>;
declare const mpmcNarrow: mpmc.Sender<AB>;
declare const oneshotNarrow: oneshot.Sender<AB>;
declare const broadcastNarrow: broadcast.Sender<AB>;
declare const watchNarrow: watch.Sender<AB>;
declare const permitNarrow: mpsc.Permit<AB>;
declare const weakNarrow: mpsc.WeakSender<AB>;

// A narrow sender is not a wide one.
// @ts-expect-error mpsc.Sender<'a' | 'b'> would accept any string
export const s1: mpsc.Sender<string> = mpscNarrow;
// @ts-expect-error mpmc.Sender<'a' | 'b'> would accept any string
export const s2: mpmc.Sender<string> = mpmcNarrow;
// @ts-expect-error oneshot.Sender<'a' | 'b'> would accept any string
export const s3: oneshot.Sender<string> = oneshotNarrow;
// @ts-expect-error broadcast.Sender<'a' | 'b'> would accept any string
export const s4: broadcast.Sender<string> = broadcastNarrow;
// @ts-expect-error watch.Sender<'a' | 'b'> would accept any string
export const s5: watch.Sender<string> = watchNarrow;
// @ts-expect-error mpsc.Permit<'a' | 'b'> would accept any string
export const s6: mpsc.Permit<string> = permitNarrow;
// @ts-expect-error mpsc.WeakSender<'a' | 'b'> upgrades to a sender that would accept any string
export const s7: mpsc.WeakSender<string> = weakNarrow;

// select.send infers from the sender alone: a wider value does not widen T.
// @ts-expect-error 'zzz' as string is not an 'a' | 'b'
select.send(mpscNarrow, 'zzz' as string);
// @ts-expect-error 'zzz' is not an 'a' | 'b'
select.send(mpmcNarrow, 'zzz');
select.send(mpscNarrow, 'a');

// A wide sender is a narrow one (contravariance): it accepts every 'a' | 'b'.
declare const mpscWide: mpsc.Sender<string>;
declare const mpmcWide: mpmc.Sender<string>;
declare const oneshotWide: oneshot.Sender<string>;
declare const permitWide: mpsc.Permit<string>;
export const c1: mpsc.Sender<AB> = mpscWide;
export const c2: mpmc.Sender<AB> = mpmcWide;
export const c3: oneshot.Sender<AB> = oneshotWide;
export const c4: mpsc.Permit<AB> = permitWide;
select.send<AB>(mpscWide, 'a');

// broadcast and watch senders are invariant: a wide one would hand out strings as 'a' | 'b'.
declare const broadcastWide: broadcast.Sender<string>;
declare const watchWide: watch.Sender<string>;
// @ts-expect-error its subscribe() would return a Receiver<string> typed as Receiver<'a' | 'b'>
export const i1: broadcast.Sender<AB> = broadcastWide;
// @ts-expect-error its borrow() would return a string typed as 'a' | 'b'
export const i2: watch.Sender<AB> = watchWide;

// Receivers are covariant: a narrow receiver is a wide one, not the other way round.
declare const mpscRx: mpsc.Receiver<AB>;
declare const mpmcRx: mpmc.Receiver<AB>;
declare const oneshotRx: oneshot.Receiver<AB>;
declare const broadcastRx: broadcast.Receiver<AB>;
declare const watchRx: watch.Receiver<AB>;
export const r1: mpsc.Receiver<string> = mpscRx;
export const r2: mpmc.Receiver<string> = mpmcRx;
export const r3: oneshot.Receiver<string> = oneshotRx;
export const r4: broadcast.Receiver<string> = broadcastRx;
export const r5: watch.Receiver<string> = watchRx;

declare const mpscWideRx: mpsc.Receiver<string>;
declare const mpmcWideRx: mpmc.Receiver<string>;
declare const oneshotWideRx: oneshot.Receiver<string>;
declare const broadcastWideRx: broadcast.Receiver<string>;
declare const watchWideRx: watch.Receiver<string>;
// @ts-expect-error a Receiver<string> yields strings that are not 'a'
export const n1: mpsc.Receiver<'a'> = mpscWideRx;
// @ts-expect-error a Receiver<string> yields strings that are not 'a'
export const n2: mpmc.Receiver<'a'> = mpmcWideRx;
// @ts-expect-error a Receiver<string> yields strings that are not 'a'
export const n3: oneshot.Receiver<'a'> = oneshotWideRx;
// @ts-expect-error a Receiver<string> yields strings that are not 'a'
export const n4: broadcast.Receiver<'a'> = broadcastWideRx;
// @ts-expect-error a Receiver<string> yields strings that are not 'a'
export const n5: watch.Receiver<'a'> = watchWideRx;
