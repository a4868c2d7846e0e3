import { config, lastValueFrom, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mpmc } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('mpmc Receiver: each value goes to exactly one consumer', () => {
  it('serves waiting recv calls across handles in the order they started waiting', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const handles = [rx, rx.clone(), rx.clone()];
    const waits = [handles[2].recv(), handles[0].recv(), handles[1].recv(), handles[2].recv()];
    for (const n of [10, 11, 12, 13]) await tx.send(n);
    expect(await Promise.all(waits)).toEqual([10, 11, 12, 13]);
  });

  it('splits the values among concurrent subscribers on several handles in turn (round robin)', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const got: number[][] = [[], [], []];
    rx.subscribe((v) => got[0].push(v));
    rx.clone().subscribe((v) => got[1].push(v));
    rx.subscribe((v) => got[2].push(v));
    for (let n = 0; n < 9; n++) await tx.send(n);
    expect(got).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });

  it('serves waiting pulls before subscribers', async () => {
    const [tx, rx] = mpmc.channel<string>(2);
    const pushed: string[] = [];
    rx.subscribe((v) => pushed.push(v));
    const pulled = rx.clone().recv();
    tx.trySend('a');
    tx.trySend('b');
    expect(await pulled).toBe('a');
    expect(pushed).toEqual(['b']);
  });

  it('a subscriber that leaves mid-stream loses nothing: the others (or the buffer) take the rest', async () => {
    const [tx, rx] = mpmc.channel<number>(8);
    const first: number[] = [];
    const second: number[] = [];
    const sub = rx.subscribe((v) => first.push(v));
    rx.clone().subscribe((v) => second.push(v));
    for (let n = 0; n < 4; n++) tx.trySend(n);
    sub.unsubscribe();
    for (let n = 4; n < 7; n++) tx.trySend(n);
    expect(first).toEqual([0, 2]);
    expect(second).toEqual([1, 3, 4, 5, 6]);
  });

  it('keeps values buffered while nobody subscribes and delivers them to the next subscriber', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    rx.pipe(take(1)).subscribe();
    tx.trySend(1);
    tx.trySend(2);
    tx.trySend(3);
    expect(rx.length).toBe(2);
    tx.drop();
    expect(await lastValueFrom(rx.clone().pipe(toArray()))).toEqual([2, 3]);
  });

  it('completes every subscriber when the channel ends, and errors every one after error(e)', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const events: string[] = [];
    rx.subscribe({ complete: () => events.push('a done') });
    rx.clone().subscribe({ complete: () => events.push('b done') });
    tx.drop();
    expect(events).toEqual(['a done', 'b done']);

    const [tx2, rx2] = mpmc.channel<number>(2);
    const errors: unknown[] = [];
    rx2.subscribe({ error: (e) => errors.push(e) });
    rx2.clone().subscribe({ error: (e) => errors.push(e) });
    const boom = new Error('boom');
    tx2.error(boom);
    expect(errors).toEqual([boom, boom]);
  });

  it('a subscriber arriving after the end completes at once', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([]);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([]);
  });

  it('a subscriber that throws does not corrupt the channel', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const got: number[] = [];
    const errors: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (e) => errors.push(e);
    try {
      rx.subscribe(() => {
        throw new Error('bad subscriber');
      });
      rx.clone().subscribe((v) => got.push(v));
      for (let n = 0; n < 4; n++) await tx.send(n);
      await new Promise((resolve) => setTimeout(resolve, 0)); // RxJS reports on a 0 ms timer
      expect(got).toEqual([1, 3]);
      expect(errors).toEqual([new Error('bad subscriber'), new Error('bad subscriber')]);
    } finally {
      config.onUnhandledError = previous;
    }
  });

  it('several iterators across handles partition the values and all finish at the end', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const drain = async (handle: mpmc.Receiver<number>): Promise<number[]> => {
      const got: number[] = [];
      for await (const v of handle) got.push(v);
      return got;
    };
    const all = Promise.all([drain(rx), drain(rx.clone()), drain(rx)]);
    for (let n = 0; n < 30; n++) await tx.send(n);
    tx.drop();
    const parts = await all;
    expect(parts.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (const part of parts) expect(part).toEqual([...part].sort((a, b) => a - b));
  });

  it('break ends that iterator only and keeps the buffered values for the other consumers', async () => {
    const [tx, rx] = mpmc.channel<number | null | undefined>(4);
    for (const v of [1, null, undefined, 4]) tx.trySend(v);
    tx.drop();
    const seen: (number | null | undefined)[] = [];
    for await (const v of rx) {
      seen.push(v);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1, null]);
    const rest: (number | null | undefined)[] = [];
    for await (const v of rx.clone()) rest.push(v);
    expect(rest).toEqual([undefined, 4]);
  });

  it('return() ends a pending next() as done, and the next value goes to someone else', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const iterator = rx[Symbol.asyncIterator]();
    const pending = iterator.next();
    const other = rx.recv();
    await iterator.return!();
    expect(await stateOf(pending)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    tx.trySend(8);
    expect(await stateOf(other)).toEqual({ state: 'fulfilled', value: 8 });
  });
});

describe('mpmc Receiver marbles', () => {
  it('delivers in the frame of the send, alternating between two subscribers, and completes both', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpmc.channel<string>(1);
      hot('-a-b-c-d-|').subscribe(tx);
      expectObservable(rx).toBe('-a---c---|');
      expectObservable(rx.clone()).toBe('---b---d-|');
    });
  });
});

describe('mpmc Receiver argument errors', () => {
  it('recv and recvMany reject TypeError showing a signal that is not an AbortSignal, taking nothing', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    tx.trySend(1);
    const bad = { signal: 'x' as unknown as AbortSignal };
    await expect(rx.recv(bad)).rejects.toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `"x"` (string)'));
    await expect(rx.recvMany(2, bad)).rejects.toThrow(TypeError);
    expect(rx.length).toBe(1);
  });
});
