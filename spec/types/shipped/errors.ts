/**
 * Shipped-types test: the error classes, their fields and the wait options.
 */
import { expectTypeOf } from 'expect-type';
import {
  ChannelError,
  ChannelOverflowError,
  LaggedError,
  mpsc,
  ReceiverBusyError,
  ReceiverDroppedError,
  RecvError,
  SendError,
  SenderDroppedError,
} from 'rxjs-channel';

expectTypeOf(new SendError({ id: 1 })).toEqualTypeOf<SendError<{ id: number }>>();
expectTypeOf(new SendError({ id: 1 }).value).toEqualTypeOf<{ id: number }>();
expectTypeOf(new ChannelOverflowError(3).value).toEqualTypeOf<number>();
expectTypeOf<SendError<number> | SenderDroppedError | ReceiverDroppedError | ReceiverBusyError>().toExtend<ChannelError>();
expectTypeOf<ChannelOverflowError<number> | RecvError | LaggedError>().toExtend<ChannelError>();
expectTypeOf<ChannelError>().toExtend<Error>();
declare const caught: unknown;
expectTypeOf<SendError['value']>().toBeUnknown(); // the default type argument
if (caught instanceof LaggedError) expectTypeOf(caught.skipped).toEqualTypeOf<number>();

declare const tx: mpsc.Sender<number>;
declare const rx: mpsc.Receiver<number>;
expectTypeOf(tx.send).parameter(1).toEqualTypeOf<mpsc.SendOptions | undefined>();
expectTypeOf<mpsc.SendOptions>().toExtend<mpsc.WaitOptions>();
expectTypeOf<mpsc.WaitOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
expectTypeOf(rx.recv).parameter(0).toEqualTypeOf<mpsc.WaitOptions | undefined>();
// @ts-expect-error the signal is an AbortSignal
void rx.recv({ signal: 'stop' });
// @ts-expect-error recvMany needs a limit
void rx.recvMany();
