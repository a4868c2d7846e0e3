import { config, lastValueFrom, Subscriber, take, toArray } from 'rxjs';
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

describe('seams: eight receivers waiting in recv()', () => {
  it('each value goes to exactly one waiter, FIFO among the waiters, and an aborted waiting recv loses nothing', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const handles = [rx, ...Array.from({ length: 7 }, () => rx.clone())];
    const controller = new AbortController();
    // Waiter 3 carries a signal that aborts while it waits; the other seven wait plainly.
    const waits = handles.map((h, i) => h.recv(i === 3 ? { signal: controller.signal } : undefined));
    expect(await stateOf(waits[0]!)).toEqual({ state: 'pending' });
    controller.abort(new Error('stop'));
    for (let n = 0; n < 7; n++) expect(tx.trySend(n)).toBe(true);
    const states = await Promise.all(waits.map((w) => stateOf(w)));
    expect(states[3]).toEqual({ state: 'rejected', reason: new Error('stop') });
    // FIFO: the seven remaining waiters get 0..6 in the order they started waiting
    expect(states.filter((_, i) => i !== 3)).toEqual([0, 1, 2, 3, 4, 5, 6].map((value) => ({ state: 'fulfilled', value })));
    expect(rx.length).toBe(0);
    // a second round, every handle waiting again in order: nothing was lost or left behind
    const again = handles.map((h) => h.recv());
    for (let n = 7; n < 15; n++) await tx.send(n);
    expect(await Promise.all(again)).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('an abort racing with sends loses nothing: every value is received exactly once overall', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const handles = [rx, ...Array.from({ length: 7 }, () => rx.clone())];
    const controllers = handles.map(() => new AbortController());
    const waits = handles.map((h, i) => h.recv({ signal: controllers[i]!.signal }));
    tx.trySend(0);
    controllers[0]!.abort('late'); // already served: no effect
    controllers[1]!.abort('early'); // still waiting: rejects, takes nothing
    tx.trySend(1);
    const states = await Promise.all(waits.map((w) => stateOf(w)));
    expect(states[0]).toEqual({ state: 'fulfilled', value: 0 });
    expect(states[1]).toEqual({ state: 'rejected', reason: 'early' });
    expect(states[2]).toEqual({ state: 'fulfilled', value: 1 });
    expect(states.slice(3).every((s) => s.state === 'pending')).toBe(true);
    tx.drop();
    const ended = await Promise.all(waits.slice(3));
    expect(ended).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('seams: return() while a next() is pending', () => {
  it('settles the pending next() as done; a value sent later is not consumed and a later consumer gets it', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const iterator = rx[Symbol.asyncIterator]();
    const pending = iterator.next();
    expect(await stateOf(pending)).toEqual({ state: 'pending' });
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await stateOf(pending)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    tx.trySend(1);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(await rx.recv()).toBe(1);
  });
});

describe('seams: a subscriber acting from inside its next sees what it would see acting from outside', () => {
  const raw = (seen: number[], act: (v: number, self: Subscriber<number>) => void, events: string[] = []): Subscriber<number> => {
    const self: Subscriber<number> = new Subscriber<number>({
      next: (v: number) => {
        seen.push(v);
        act(v, self);
      },
      error: (e: unknown) => events.push(`error ${String(e)}`),
      complete: () => events.push('complete'),
    } as unknown as Subscriber<number>);
    return self;
  };

  it('unsubscribing in its first next (delivered during subscribe) takes exactly one value; the rest stay buffered', () => {
    const [tx, rx] = mpmc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    rx.subscribe(raw(seen, (_v, self) => self.unsubscribe()));
    expect(seen).toEqual([1]);
    expect(rx.length).toBe(2);
    const next: number[] = [];
    rx.clone().subscribe((v) => next.push(v));
    expect(next).toEqual([2, 3]);
  });

  it('sending in its first next delivers the new value after the buffered ones', () => {
    const [tx, rx] = mpmc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    rx.subscribe(raw(seen, (v) => void (v === 1 && tx.trySend(4))));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('dropping its own handle in its first next completes it after one value; another handle gets the rest', () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const other = rx.clone();
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => rx.drop(), events));
    expect(seen).toEqual([1]);
    expect(events).toEqual(['complete']);
    expect(other.tryRecv()).toBe(2);
    expect(other.tryRecv()).toBe(3);
  });

  it('closing the channel in its first next still delivers every buffered value, then completes', () => {
    const [tx, rx] = mpmc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => rx.close(), events));
    expect(seen).toEqual([1, 2, 3]);
    expect(events).toEqual(['complete']);
  });

  it('with two subscribers, one that unsubscribes inside its next hands the turn to the other and loses nothing', () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const a: number[] = [];
    const b: number[] = [];
    rx.subscribe(raw(a, (_v, self) => self.unsubscribe()));
    rx.clone().subscribe((v) => b.push(v));
    for (const n of [1, 2, 3, 4]) tx.trySend(n);
    expect(a).toEqual([1]);
    expect(b).toEqual([2, 3, 4]);
  });
});

describe('seams: a subscriber whose next throws', () => {
  const boom = new Error('subscriber failed');
  let previous: typeof config.onUnhandledError;
  beforeEach(() => {
    previous = config.onUnhandledError;
    config.onUnhandledError = () => {};
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0)); // RxJS reports on a 0 ms timer
    config.onUnhandledError = previous;
  });

  it('loses no value beyond the one delivered, does not fail the sender, and the others keep consuming', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const seen: number[] = [];
    const others: number[] = [];
    const sub = new Subscriber<number>({
      next: (v: number) => {
        seen.push(v);
        throw boom;
      },
      error: () => {},
      complete: () => {},
    } as unknown as Subscriber<number>);
    rx.subscribe(sub);
    rx.clone().subscribe((v) => others.push(v));
    for (const n of [1, 2, 3, 4]) expect(() => tx.trySend(n)).not.toThrow();
    let sent: Promise<void> | undefined;
    expect(() => (sent = tx.send(5))).not.toThrow();
    expect(await stateOf(sent!)).toEqual({ state: 'fulfilled', value: undefined });
    sub.unsubscribe();
    const rest: number[] = [];
    for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) rest.push(v);
    expect([...seen, ...others, ...rest].sort()).toEqual([1, 2, 3, 4, 5]);
    tx.trySend(6);
    expect(others).toContain(6);
  });
});

describe('seams: Receiver.pendingSends', () => {
  it('counts the sends and reserves waiting for a slot, on every handle and on the sender', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const other = rx.clone();
    tx.trySend(0);
    const sent = tx.send(1);
    const reserved = tx.reserve();
    expect([rx.pendingSends, other.pendingSends, tx.pendingSends]).toEqual([2, 2, 2]);
    expect(other.tryRecv()).toBe(0);
    expect(await stateOf(sent)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.pendingSends).toBe(1);
    expect(rx.tryRecv()).toBe(1);
    (await reserved).release();
    expect([rx.pendingSends, other.pendingSends, tx.pendingSends]).toEqual([0, 0, 0]);
  });
});
