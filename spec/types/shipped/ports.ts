/**
 * Shipped-types test: broadcast and watch handles move into ports and open from them as the
 * kind's ordinary handle types, and their sends take a transfer list.
 */
import { expectTypeOf } from 'expect-type';
import { broadcast, watch } from 'rxjs-channel';

declare const broadcastPair: [broadcast.Sender<{ id: number }>, broadcast.Receiver<{ id: number }>];
declare const watchPair: [watch.Sender<string>, watch.Receiver<string>];
declare const port: broadcast.MessagePortLike;
declare const buffer: ArrayBuffer;

for (const handle of [broadcastPair[0], broadcastPair[1], watchPair[0], watchPair[1]]) {
  expectTypeOf(handle.intoPort()).toExtend<broadcast.MessagePortLike>();
  expectTypeOf(handle.intoPort()).toExtend<watch.MessagePortLike>();
}
expectTypeOf(broadcast.senderFromPort<{ id: number }>(port)).toEqualTypeOf<broadcast.Sender<{ id: number }>>();
expectTypeOf(broadcast.receiverFromPort<{ id: number }>(port)).toEqualTypeOf<broadcast.Receiver<{ id: number }>>();
expectTypeOf(watch.senderFromPort<string>(port)).toEqualTypeOf<watch.Sender<string>>();
expectTypeOf(watch.receiverFromPort<string>(port)).toEqualTypeOf<watch.Receiver<string>>();
expectTypeOf(broadcast.senderFromPort<number>).parameter(0).toEqualTypeOf<broadcast.MessagePortLike>();

// send never waits in either kind: broadcast reports the receivers reached, watch nothing.
expectTypeOf(broadcastPair[0].send({ id: 1 }, { transfer: [buffer] })).toEqualTypeOf<number>();
expectTypeOf(watchPair[0].send('x', { transfer: [buffer] })).toEqualTypeOf<void>();
expectTypeOf<broadcast.TransferOptions>().toEqualTypeOf<watch.TransferOptions>();
// @ts-expect-error a transfer list is an array of transferables
broadcastPair[0].send({ id: 1 }, { transfer: buffer });
// @ts-expect-error the value's type is the channel's, across ports too
broadcast.senderFromPort<{ id: number }>(port).send('not an item');
