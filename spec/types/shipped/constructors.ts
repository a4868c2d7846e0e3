/**
 * Shipped-types test: each kind's constructor returns its tuple of handles. Checked against
 * the built .d.ts (never lib/) as both an .mts and a .cts file; see spec/package/shipped-types.spec.ts.
 */
import { expectTypeOf } from 'expect-type';
import { broadcast, mpmc, mpsc, oneshot, watch } from 'rxjs-channel';

expectTypeOf(mpsc.channel<number>(1)).toEqualTypeOf<[mpsc.Sender<number>, mpsc.Receiver<number>]>();
expectTypeOf(mpsc.unboundedChannel<string>()).toEqualTypeOf<[mpsc.Sender<string>, mpsc.Receiver<string>]>();
expectTypeOf(mpmc.channel<number>(1)).toEqualTypeOf<[mpmc.Sender<number>, mpmc.Receiver<number>]>();
expectTypeOf(mpmc.unboundedChannel<number>()).toEqualTypeOf<[mpmc.Sender<number>, mpmc.Receiver<number>]>();
expectTypeOf(oneshot.channel<string>()).toEqualTypeOf<[oneshot.Sender<string>, oneshot.Receiver<string>]>();
expectTypeOf(broadcast.channel<number>(4)).toEqualTypeOf<[broadcast.Sender<number>, broadcast.Receiver<number>]>();
expectTypeOf(watch.channel({ n: 1 })).toEqualTypeOf<[watch.Sender<{ n: number }>, watch.Receiver<{ n: number }>]>();
expectTypeOf(watch.channel<'on' | 'off'>('on')).toEqualTypeOf<[watch.Sender<'on' | 'off'>, watch.Receiver<'on' | 'off'>]>();

// The arguments are checked too.
expectTypeOf(mpsc.channel).parameter(0).toEqualTypeOf<number>();
expectTypeOf(broadcast.channel).parameter(0).toEqualTypeOf<number>();
// @ts-expect-error capacity is a number
mpsc.channel<number>('4');
// @ts-expect-error a oneshot channel takes no capacity
oneshot.channel<number>(1);
// @ts-expect-error a watch channel needs its initial value
watch.channel<number>();
// @ts-expect-error the initial value has the channel's type
watch.channel<number>('zero');

// The element type flows into every method.
declare const tx: mpsc.Sender<{ id: string }>;
declare const rx: mpsc.Receiver<{ id: string }>;
expectTypeOf(tx.send).parameter(0).toEqualTypeOf<{ id: string }>();
expectTypeOf(tx.send({ id: 'a' })).toEqualTypeOf<Promise<void>>();
expectTypeOf(tx.tryReserve()).toEqualTypeOf<mpsc.Permit<{ id: string }> | undefined>();
expectTypeOf(tx.downgrade().upgrade()).toEqualTypeOf<mpsc.Sender<{ id: string }> | undefined>();
expectTypeOf(rx.recv()).toEqualTypeOf<Promise<{ id: string } | undefined>>();
expectTypeOf(rx.recvMany(2)).toEqualTypeOf<Promise<{ id: string }[]>>();
// @ts-expect-error a number is not an { id: string }
void tx.send(1);
