import { Observable } from 'rxjs';
import { watch } from 'rxjs-channel';
import { expectTypeOf } from 'expect-type';

describe('watch types', () => {
  it('types the pair, the receiver as Observable and AsyncIterable, and the results', () => {
    const [tx, rx] = watch.channel({ n: 1 });
    expectTypeOf(tx).toEqualTypeOf<watch.Sender<{ n: number }>>();
    expectTypeOf(rx).toMatchTypeOf<Observable<{ n: number }>>();
    expectTypeOf(rx).toMatchTypeOf<AsyncIterable<{ n: number }>>();
    expectTypeOf(rx).toMatchTypeOf<Disposable>();
    expectTypeOf(tx.sendReplace).returns.toEqualTypeOf<{ n: number }>();
    expectTypeOf(tx.sendIfModified).returns.toEqualTypeOf<boolean>();
    expectTypeOf(rx.changed).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(rx.borrow).returns.toEqualTypeOf<{ n: number }>();
    const typeOnly = (): void => {
      // @ts-expect-error sendModify's callback returns the value type or nothing
      tx.sendModify(() => 'text');
    };
    expect(typeOnly).toBeInstanceOf(Function);
    expect(rx.borrow()).toEqual({ n: 1 });
  });
});
