import { ChannelError, mpsc } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('Permit', () => {
  it('send fills the reserved slot without waiting', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    const permit = await tx.reserve();
    expect(tx.trySend('barging')).toBe(false);
    permit.send('reserved');
    expect(permit.isUsed).toBe(true);
    expect(rx.tryRecv()).toBe('reserved');
  });

  it('release returns the slot unused', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve()!;
    expect(tx.capacity).toBe(0);
    permit.release();
    expect(permit.isUsed).toBe(true);
    expect(tx.capacity).toBe(1);
    expect(rx.length).toBe(0);
  });

  it('release hands the slot to the longest-waiting sender', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve()!;
    const first = tx.send(1);
    const second = tx.send(2);
    permit.release();
    expect(await stateOf(first)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(second)).toEqual({ state: 'pending' });
    expect(rx.tryRecv()).toBe(1);
  });

  it('[Symbol.dispose] releases an unused permit, and a `using` scope does it at its end', () => {
    const [tx] = mpsc.channel<number>(1);
    {
      using _permit = tx.tryReserve()!;
      expect(tx.capacity).toBe(0);
    }
    expect(tx.capacity).toBe(1);
  });

  it('[Symbol.dispose] after send is a no-op', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    {
      using permit = tx.tryReserve()!;
      permit.send(1);
    }
    expect(rx.length).toBe(1);
    expect(tx.capacity).toBe(1);
  });

  it.each([
    ['send then send', (p: mpsc.Permit<number>) => p.send(1), (p: mpsc.Permit<number>) => p.send(2)],
    ['send then release', (p: mpsc.Permit<number>) => p.send(1), (p: mpsc.Permit<number>) => p.release()],
    ['release then send', (p: mpsc.Permit<number>) => p.release(), (p: mpsc.Permit<number>) => p.send(2)],
    ['release then release', (p: mpsc.Permit<number>) => p.release(), (p: mpsc.Permit<number>) => p.release()],
  ])('a second use (%s) throws ChannelError and changes nothing', (_label, first, second) => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    first(permit);
    const before = { length: rx.length, capacity: tx.capacity };
    expect(() => second(permit)).toThrow(ChannelError);
    expect({ length: rx.length, capacity: tx.capacity }).toEqual(before);
  });

  it('a permit granted before the receiver closes may still send, and its value is received', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    rx.close();
    expect(rx.isClosed).toBe(false);
    permit.send(3);
    expect(rx.isClosed).toBe(true);
    expect(await rx.recv()).toBe(3);
    expect(await rx.recv()).toBeUndefined();
  });

  it('a granted permit keeps the channel open after every sender is dropped, until it is used', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve()!;
    tx.drop();
    expect(rx.isClosed).toBe(false);
    const next = rx.recv();
    expect(await stateOf(next)).toEqual({ state: 'pending' });
    permit.send(1);
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: 1 });
    expect(await rx.recv()).toBeUndefined();
  });

  it('a granted permit keeps the channel open until it is released', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve()!;
    tx.drop();
    const next = rx.recv();
    expect(await stateOf(next)).toEqual({ state: 'pending' });
    permit.release();
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('a permit send handed straight to a waiting receive gives the freed slot to a waiting sender', async () => {
    // Regression: the slot freed this way used to stay free with a sender waiting (barging).
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    tx.tryReserve();
    const received = rx.recv();
    const waiting = tx.send(2);
    permit.send(1);
    expect(tx.capacity).toBe(0);
    expect(tx.trySend(3)).toBe(false);
    expect(await stateOf(received)).toEqual({ state: 'fulfilled', value: 1 });
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.tryRecv()).toBe(2);
  });

  it('a permit send handed straight to a subscriber gives the freed slot to a waiting sender', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    tx.tryReserve();
    const seen: number[] = [];
    rx.subscribe((v) => seen.push(v));
    const waiting = tx.send(2);
    permit.send(1);
    expect(seen).toEqual([1, 2]);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
  });
});
