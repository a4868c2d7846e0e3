import { broadcast, select, LaggedError, ReceiverBusyError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('broadcast.Receiver in select', () => {
  it('wins with the next value once one is sent', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const [, idle] = broadcast.channel<number>(4);
    const result = select({ rx, idle });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.send(5);
    expect(await result).toEqual({ key: 'rx', value: 5 });
  });

  it('consumes exactly one value per win; a losing receiver keeps its position', async () => {
    const [tx, a] = broadcast.channel<number>(4);
    const b = tx.subscribe();
    tx.send(1);
    tx.send(2);
    const first = await select({ a });
    expect(first).toEqual({ key: 'a', value: 1 });
    expect(a.tryRecv()).toBe(2);
    expect([b.tryRecv(), b.tryRecv()]).toEqual([1, 2]);
  });

  it('a branch that loses consumes nothing, whichever wins', async () => {
    for (let i = 0; i < 20; i++) {
      const [txA, a] = broadcast.channel<string>(4);
      const [txB, b] = broadcast.channel<string>(4);
      const result = select({ a, b });
      txA.send('a');
      txB.send('b');
      const winner = await result;
      expect(winner.value).toBe(winner.key);
      const loser = winner.key === 'a' ? b : a;
      expect(loser.tryRecv()).toBe(winner.key === 'a' ? 'b' : 'a');
    }
  });

  it('wins with undefined at the end', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const result = select({ rx });
    tx.drop();
    expect(await result).toEqual({ key: 'rx', value: undefined });
  });

  it('fails the select with LaggedError, then the receiver continues from the oldest value held', async () => {
    const [tx, rx] = broadcast.channel<number>(1);
    tx.send(1);
    tx.send(2);
    const error = await select({ rx }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaggedError);
    expect((error as LaggedError).skipped).toBe(1);
    expect(await select({ rx })).toEqual({ key: 'rx', value: 2 });
  });
});

describe('seams: select never takes a value from a broadcast receiver another consumer holds', () => {
  const busyOrPending = (s: Awaited<ReturnType<typeof stateOf>>): void => {
    if (s.state === 'rejected') expect(s.reason).toBeInstanceOf(ReceiverBusyError);
    else expect(s).toEqual({ state: 'pending' });
  };

  it('does not take the value of a receiver a for-await loop holds between steps (rejects ReceiverBusyError, as recv does, or waits); the loop gets it', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const iterator = rx[Symbol.asyncIterator]();
    tx.send(1);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    tx.send(2);
    await expect(rx.recv()).rejects.toBeInstanceOf(ReceiverBusyError);
    busyOrPending(await stateOf(select({ a: rx })));
    expect(await iterator.next()).toEqual({ value: 2, done: false });
    await iterator.return!();
  });

  it('a select that started waiting before a for-await loop claimed the receiver does not take the loop’s value', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const result = select({ a: rx });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    const iterator = rx[Symbol.asyncIterator]();
    const next = iterator.next();
    tx.send(1);
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: { value: 1, done: false } });
    busyOrPending(await stateOf(result));
    await iterator.return!();
  });

  it('a select that started waiting before a subscriber took the receiver does not take the subscriber’s value', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const result = select({ a: rx });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    const seen: number[] = [];
    const sub = rx.subscribe((v) => seen.push(v));
    tx.send(1);
    tx.send(2);
    busyOrPending(await stateOf(result));
    expect(seen).toEqual([1, 2]);
    sub.unsubscribe();
  });

  it('never takes from a receiver a subscriber holds (rejects ReceiverBusyError, as recv does, or takes nothing)', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const seen: number[] = [];
    const sub = rx.subscribe((v) => seen.push(v));
    await expect(rx.recv()).rejects.toBeInstanceOf(ReceiverBusyError);
    const s = await stateOf(select({ a: rx, idle: select.default() }));
    if (s.state === 'rejected') expect(s.reason).toBeInstanceOf(ReceiverBusyError);
    else expect(s).toEqual({ state: 'fulfilled', value: { key: 'idle', value: undefined } });
    tx.send(1);
    expect(seen).toEqual([1]);
    sub.unsubscribe();
  });
});
