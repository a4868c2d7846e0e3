import { Observable } from 'rxjs';
import { broadcast } from 'rxjs-channel';
import { expectTypeOf } from 'expect-type';

describe('broadcast types', () => {
  it('types the pair, the receiver as Observable and AsyncIterable, and the results', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    expectTypeOf(tx).toEqualTypeOf<broadcast.Sender<number>>();
    expectTypeOf(rx).toEqualTypeOf<broadcast.Receiver<number>>();
    expectTypeOf(rx).toMatchTypeOf<Observable<number>>();
    expectTypeOf(rx).toMatchTypeOf<AsyncIterable<number>>();
    expectTypeOf(rx).toMatchTypeOf<Disposable>();
    expectTypeOf(tx.send).returns.toEqualTypeOf<number>();
    expectTypeOf(rx.recv).returns.toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(rx.tryRecv).returns.toEqualTypeOf<number | undefined>();
    expectTypeOf<ReturnType<typeof tx.subscribe>>().toMatchTypeOf<broadcast.Receiver<number>>();
    expectTypeOf<broadcast.Receiver<number>>().toMatchTypeOf<ReturnType<typeof tx.subscribe>>();
    expectTypeOf<broadcast.LagPolicy>().toEqualTypeOf<'error' | 'skip'>();
    const typeOnly = (): void => {
      // @ts-expect-error the sender is not an Observable: subscribe() takes no observer
      tx.subscribe(() => {});
    };
    expect(typeOnly).toBeInstanceOf(Function);
    expect(tx.receiverCount).toBe(1);
  });
});
