/**
 * Shipped-types test: both oneshot handles move into ports and open from them as the kind's
 * ordinary handle types; send takes a transfer list.
 */
import { expectTypeOf } from 'expect-type';
import { oneshot } from 'rxjs-channel';

declare const pair: [oneshot.Sender<{ id: number }>, oneshot.Receiver<{ id: number }>];
declare const port: MessagePort;
declare const buffer: ArrayBuffer;

expectTypeOf(pair[0].intoPort()).toEqualTypeOf<MessagePort>();
expectTypeOf(pair[1].intoPort()).toEqualTypeOf<MessagePort>();
expectTypeOf(oneshot.senderFromPort<{ id: number }>(port)).toEqualTypeOf<oneshot.Sender<{ id: number }>>();
expectTypeOf(oneshot.receiverFromPort<{ id: number }>(port)).toEqualTypeOf<oneshot.Receiver<{ id: number }>>();
expectTypeOf(pair[0].send({ id: 1 }, { transfer: [buffer] })).toEqualTypeOf<boolean>();
expectTypeOf<oneshot.TransferOptions>().toHaveProperty('transfer');
// @ts-expect-error a transfer list is an array of transferables
pair[0].send({ id: 1 }, { transfer: buffer });
// @ts-expect-error the value's type is the channel's, across ports too
oneshot.senderFromPort<{ id: number }>(port).send('not an item');
