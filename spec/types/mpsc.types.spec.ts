/**
 * Type tests: checked by `tsc --noEmit` over spec/ (expect-type fails compilation on a
 * mismatch, and each `@ts-expect-error` fails it if the line stops being an error). The `it`
 * blocks also run the same code, so the runtime agrees with the types.
 *
 * These read lib/ (through tsconfig paths) for quick feedback while editing; the contract is
 * spec/types/shipped/, checked against the shipped .d.ts by spec/package/shipped-types.spec.ts.
 */
import { expectTypeOf } from 'expect-type';
import { Observable, type Observer } from 'rxjs';
import { ChannelError, ChannelOverflowError, mpsc, ReceiverBusyError, SendError, SenderDroppedError } from 'rxjs-channel';

describe('mpsc types', () => {
  it('channel() and unboundedChannel() return a [Sender<T>, Receiver<T>] tuple', () => {
    const pair = mpsc.channel<number>(1);
    expectTypeOf(pair).toEqualTypeOf<[mpsc.Sender<number>, mpsc.Receiver<number>]>();
    expectTypeOf(mpsc.unboundedChannel<string>()).toEqualTypeOf<[mpsc.Sender<string>, mpsc.Receiver<string>]>();
    expectTypeOf(mpsc.channel).parameter(0).toEqualTypeOf<number>();
    expect(pair).toHaveLength(2);
  });

  it('Receiver<T> is an Observable<T>, an AsyncIterable<T> and Disposable', () => {
    const [, rx] = mpsc.channel<{ id: string }>(1);
    expectTypeOf(rx).toExtend<Observable<{ id: string }>>();
    expectTypeOf(rx).toExtend<AsyncIterable<{ id: string }>>();
    expectTypeOf(rx).toExtend<Disposable>();
    expectTypeOf(rx.recv()).toEqualTypeOf<Promise<{ id: string } | undefined>>();
    expectTypeOf(rx.tryRecv()).toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf(rx.recvMany(2)).toEqualTypeOf<Promise<{ id: string }[]>>();
    expectTypeOf(rx.isClosed).toEqualTypeOf<boolean>();
    expectTypeOf(rx.length).toEqualTypeOf<number>();
    expect(rx).toBeInstanceOf(Observable);
    expect(typeof rx[Symbol.asyncIterator]).toBe('function');
    expect(typeof rx[Symbol.dispose]).toBe('function');
  });

  it('Sender<T> is an Observer<T> and Disposable', () => {
    const [tx] = mpsc.channel<number>(1);
    expectTypeOf(tx).toExtend<Observer<number>>();
    expectTypeOf(tx).toExtend<Disposable>();
    expectTypeOf(tx.send).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(tx.send(1)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(tx.trySend(1)).toEqualTypeOf<boolean>();
    expectTypeOf(tx.reserve()).toEqualTypeOf<Promise<mpsc.Permit<number>>>();
    expectTypeOf(tx.tryReserve()).toEqualTypeOf<mpsc.Permit<number> | undefined>();
    expectTypeOf(tx.clone()).toEqualTypeOf<mpsc.Sender<number>>();
    expectTypeOf(tx.closed()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(tx.downgrade()).toEqualTypeOf<mpsc.WeakSender<number>>();
    expectTypeOf(tx.capacity).toEqualTypeOf<number>();
    expect(typeof tx.next).toBe('function');
    expect(typeof tx.error).toBe('function');
    expect(typeof tx.complete).toBe('function');
  });

  it('Permit<T> sends a T and releases; WeakSender<T> upgrades to Sender<T> | undefined', () => {
    const [tx] = mpsc.channel<string>(2);
    const permit = tx.tryReserve()!;
    expectTypeOf(permit.send).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(permit.release).returns.toEqualTypeOf<void>();
    expectTypeOf(permit).toExtend<Disposable>();
    const weak = tx.downgrade();
    expectTypeOf(weak.upgrade()).toEqualTypeOf<mpsc.Sender<string> | undefined>();
    expectTypeOf(weak).toExtend<Disposable>();
    permit.release();
    expect(weak.upgrade()).toBeDefined();
  });

  it('SendError<T>.value is a T; the error classes extend ChannelError', () => {
    const e = new SendError({ id: 1 });
    expectTypeOf(e).toEqualTypeOf<SendError<{ id: number }>>();
    expectTypeOf(e.value).toEqualTypeOf<{ id: number }>();
    expectTypeOf(new ChannelOverflowError(3).value).toEqualTypeOf<number>();
    expectTypeOf<SendError<number>>().toExtend<ChannelError>();
    expectTypeOf<SenderDroppedError>().toExtend<ChannelError>();
    expectTypeOf<ReceiverBusyError>().toExtend<ChannelError>();
    expectTypeOf<ChannelError>().toExtend<Error>();
    expect(e.value).toEqual({ id: 1 });
  });

  it('the options take an AbortSignal', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    expectTypeOf(tx.send).parameter(1).toEqualTypeOf<mpsc.SendOptions | undefined>();
    expectTypeOf<mpsc.SendOptions>().toExtend<mpsc.WaitOptions>();
    expectTypeOf<mpsc.WaitOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf(rx.recv).parameter(0).toEqualTypeOf<mpsc.WaitOptions | undefined>();
    expect(tx.trySend(1)).toBe(true);
  });

  it('rejects misuse at compile time', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const runtime: unknown[] = [];
    // Each line below is a type error; at runtime they still do something well-defined.
    // @ts-expect-error a string is not a number
    runtime.push(tx.trySend('1'));
    // @ts-expect-error a string is not a number
    void tx.send('2').catch(() => {});
    // @ts-expect-error a permit of number cannot send a string
    tx.tryReserve()?.send('3');
    // @ts-expect-error capacity is a number
    expect(() => mpsc.channel<number>('4')).toThrow(TypeError);
    // @ts-expect-error the receiver yields numbers, not strings
    const s: string | undefined = rx.tryRecv();
    runtime.push(s);
    // @ts-expect-error a Sender<string> is not a Sender<number>
    tx.sameChannel(mpsc.channel<string>(1)[0]);
    // @ts-expect-error recvMany needs a limit
    await rx.recvMany().catch(() => {});
    expect(runtime[0]).toBe(true);
  });

  it('infers the element type in a for await loop and in rxjs pipes', async () => {
    const [tx, rx] = mpsc.channel<{ n: number }>(2);
    tx.trySend({ n: 1 });
    tx.drop();
    for await (const v of rx) {
      expectTypeOf(v).toEqualTypeOf<{ n: number }>();
      expect(v.n).toBe(1);
    }
  });
});
