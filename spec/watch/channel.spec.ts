import { watch } from 'rxjs-channel';
import { expectTypeOf } from 'expect-type';

describe('watch.channel', () => {
  it('returns a connected pair holding the initial value, already seen by the receiver', () => {
    const [tx, rx] = watch.channel('one');
    expect(tx.borrow()).toBe('one');
    expect(rx.borrow()).toBe('one');
    expect(rx.hasChanged()).toBe(false);
    expect(tx.receiverCount).toBe(1);
    expect(tx.senderCount).toBe(1);
    expect(tx.sameChannel(rx)).toBe(true);
    expect(tx.sameChannel(watch.channel('one')[1])).toBe(false);
  });

  it('infers the value type from the initial value, or takes it explicitly', () => {
    const [tx] = watch.channel(1);
    expectTypeOf(tx.borrow()).toEqualTypeOf<number>();
    const [tx2, rx2] = watch.channel<string | undefined>(undefined);
    expectTypeOf(rx2.borrow()).toEqualTypeOf<string | undefined>();
    tx2.send('set');
    expect(rx2.borrow()).toBe('set');
  });

  it('accepts undefined and null as values', () => {
    const [tx, rx] = watch.channel<number | null | undefined>(null);
    expect(rx.borrow()).toBeNull();
    tx.send(undefined);
    expect(rx.hasChanged()).toBe(true);
    expect(rx.borrowAndUpdate()).toBeUndefined();
  });
});
