import { Observable } from 'rxjs';
import { oneshot } from 'rxjs-channel';
import { expectTypeOf } from 'expect-type';

describe('oneshot types', () => {
  it('types the pair, the receiver as PromiseLike, Observable and AsyncIterable, and the results', async () => {
    const [tx, rx] = oneshot.channel<string>();
    expectTypeOf(tx).toEqualTypeOf<oneshot.Sender<string>>();
    expectTypeOf(rx).toEqualTypeOf<oneshot.Receiver<string>>();
    expectTypeOf(rx).toMatchTypeOf<PromiseLike<string>>();
    expectTypeOf(rx).toMatchTypeOf<Observable<string>>();
    expectTypeOf(rx).toMatchTypeOf<AsyncIterable<string>>();
    expectTypeOf(tx).toMatchTypeOf<Disposable>();
    expectTypeOf(tx.send).returns.toEqualTypeOf<boolean>();
    expectTypeOf(rx.tryRecv).returns.toEqualTypeOf<string | undefined>();
    const typeOnly = (): void => {
      // @ts-expect-error the value type is enforced
      tx.send(1);
    };
    expect(typeOnly).toBeInstanceOf(Function);
    tx.send('ok');
    expectTypeOf(await rx).toEqualTypeOf<string>();
  });
});
