import { take } from 'rxjs';
import { ChannelError, mpmc, mpsc, select, SendError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('Permit', () => {
  it('send fills the reserved slot without waiting', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    const permit = await tx.reserve();
    expect(permit.isUsed).toBe(false);
    expect(tx.trySend('barging')).toBe(false);
    permit.send('reserved');
    expect(permit.isUsed).toBe(true);
    expect(rx.tryRecv()).toBe('reserved');
  });

  it('release returns the slot unused', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve()!;
    expect(permit.isUsed).toBe(false);
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
    ['send then send', (p: mpsc.Permit<number>) => p.send(1), (p: mpsc.Permit<number>) => p.send(2), 'send'],
    ['send then release', (p: mpsc.Permit<number>) => p.send(1), (p: mpsc.Permit<number>) => p.release(), 'release'],
    ['release then send', (p: mpsc.Permit<number>) => p.release(), (p: mpsc.Permit<number>) => p.send(2), 'send'],
    ['release then release', (p: mpsc.Permit<number>) => p.release(), (p: mpsc.Permit<number>) => p.release(), 'release'],
  ])('a second use (%s) throws ChannelError naming the refused operation and changes nothing', (_label, first, second, refused) => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    first(permit);
    const before = { length: rx.length, capacity: tx.capacity };
    expect(() => second(permit)).toThrow(ChannelError);
    expect(() => second(permit)).toThrow(new ChannelError(`cannot ${refused}: this permit was already used`));
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

describe('seams: every increase of free capacity wakes waiting senders and select registrations', () => {
  it('a permit value handed straight to a waiting recv frees its slot for a waiting select.send', async () => {
    // Defect 3: both slots of a capacity-2 channel held by permits, a recv waiting; the first
    // permit's value goes straight to the recv, so a slot is free, yet the select stayed pending.
    const [tx, rx] = mpsc.channel<number>(2);
    const first = tx.tryReserve()!;
    const second = tx.tryReserve()!;
    const received = rx.recv();
    const out = select({ out: select.send(tx, 2) });
    expect(await stateOf(out)).toEqual({ state: 'pending' });
    first.send(1);
    expect(await stateOf(received)).toEqual({ state: 'fulfilled', value: 1 });
    expect(await stateOf(out)).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(rx.tryRecv()).toBe(2);
    second.release();
  });

  it('a permit value handed straight to a subscriber frees its slot for a waiting select.send', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const first = tx.tryReserve()!;
    const second = tx.tryReserve()!;
    const seen: number[] = [];
    const sub = rx.subscribe((v) => seen.push(v));
    const out = select({ out: select.send(tx, 2) });
    expect(await stateOf(out)).toEqual({ state: 'pending' });
    first.send(1);
    expect(await stateOf(out)).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(seen).toEqual([1, 2]);
    sub.unsubscribe();
    second.release();
  });

  it('a permit value handed straight to a waiting recv lets a waiting send and a waiting select.send both complete', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const first = tx.tryReserve()!;
    const second = tx.tryReserve()!;
    const r1 = rx.recv();
    const r2 = rx.recv();
    const sent = tx.send(10);
    const out = select({ out: select.send(tx, 20) });
    expect(await stateOf(out)).toEqual({ state: 'pending' });
    first.send(1);
    expect(await stateOf(r1)).toEqual({ state: 'fulfilled', value: 1 });
    expect(await stateOf(r2)).toEqual({ state: 'fulfilled', value: 10 });
    expect(await stateOf(sent)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(out)).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(rx.tryRecv()).toBe(20);
    second.release();
  });

  it('an mpmc permit value handed straight to a waiting recv frees its slot for a waiting select.send', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const first = tx.tryReserve()!;
    const second = tx.tryReserve()!;
    const received = rx.clone().recv();
    const out = select({ out: select.send(tx, 2) });
    expect(await stateOf(out)).toEqual({ state: 'pending' });
    first.send(1);
    expect(await stateOf(received)).toEqual({ state: 'fulfilled', value: 1 });
    expect(await stateOf(out)).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(rx.tryRecv()).toBe(2);
    second.release();
  });

  type Freer = (tx: mpsc.Sender<number>, rx: mpsc.Receiver<number>, permits: mpsc.Permit<number>[]) => void;
  // Each channel starts full (capacity 2: one permit held, one value buffered); each path frees
  // exactly one slot, which the waiting party must get.
  const paths: [string, Freer][] = [
    ['a permit released', (_tx, _rx, [p]) => p!.release()],
    ['tryRecv', (_tx, rx) => void rx.tryRecv()],
    ['recv', (_tx, rx) => void rx.recv()],
    ['recvMany', (_tx, rx) => void rx.recvMany(1)],
    ['an iterator next()', (_tx, rx) => void rx[Symbol.asyncIterator]().next()],
    ['a subscriber taking the buffered value', (_tx, rx) => void rx.pipe(take(1)).subscribe()],
  ];

  it.each(paths)('%s wakes a waiting send, reserve and select.send alike', async (_label, free) => {
    for (const waiter of ['send', 'select.send', 'reserve'] as const) {
      const [tx, rx] = mpsc.channel<number>(2);
      const permit = tx.tryReserve()!;
      expect(tx.trySend(0)).toBe(true);
      expect(tx.capacity).toBe(0);
      const waiting =
        waiter === 'send'
          ? tx.send(5)
          : waiter === 'reserve'
            ? tx.reserve().then((p) => p.send(5))
            : select({ out: select.send(tx, 5) }).then(() => undefined);
      expect(await stateOf(waiting)).toEqual({ state: 'pending' });
      free(tx, rx, [permit]);
      expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
      if (!permit.isUsed) permit.release();
    }
  });

  it('close wakes a waiting select.send, which rejects SendError carrying its value', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const out = select({ out: select.send(tx, 5) });
    expect(await stateOf(out)).toEqual({ state: 'pending' });
    rx.close();
    const s = await stateOf(out);
    expect(s.state).toBe('rejected');
    expect((s as { reason: unknown }).reason).toBeInstanceOf(SendError);
    expect(((s as { reason: unknown }).reason as SendError<number>).value).toBe(5);
  });
});
