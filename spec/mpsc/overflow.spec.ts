import { config, from, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ChannelError, ChannelOverflowError, mpsc, select } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe("overflow: 'wait' (the default)", () => {
  it('makes send wait while full and trySend return false, dropping nothing', async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(1, { onDrop: (v) => dropped.push(v) });
    expect(tx.trySend(1)).toBe(true);
    expect(tx.trySend(2)).toBe(false);
    const waiting = tx.send(3);
    expect(await stateOf(waiting)).toEqual({ state: 'pending' });
    expect(await rx.recv()).toBe(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await rx.recv()).toBe(3);
    expect(dropped).toEqual([]);
  });
});

describe("overflow: 'dropOldest'", () => {
  it('never waits: when full it evicts the oldest buffered value and reports it to onDrop synchronously', async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(2, { overflow: 'dropOldest', onDrop: (v) => dropped.push(v) });
    for (const n of [1, 2]) await tx.send(n);
    const third = tx.send(3);
    expect(dropped).toEqual([1]); // before any microtask
    expect(tx.trySend(4)).toBe(true);
    expect(dropped).toEqual([1, 2]);
    expect(await stateOf(third)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.length).toBe(2);
    tx.drop();
    expect(await rx.recvMany(10)).toEqual([3, 4]);
  });

  it('drops the new value when every slot is a granted permit (nothing buffered to evict)', () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(1, { overflow: 'dropOldest', onDrop: (v) => dropped.push(v) });
    const permit = tx.tryReserve()!;
    expect(tx.trySend(1)).toBe(false);
    expect(dropped).toEqual([1]);
    permit.send(2);
    expect(rx.tryRecv()).toBe(2);
  });
});

describe("overflow: 'dropNewest'", () => {
  it('never waits: when full it discards the new value, trySend returns false and onDrop gets it', async () => {
    const dropped: string[] = [];
    const [tx, rx] = mpsc.channel<string>(2, { overflow: 'dropNewest', onDrop: (v) => dropped.push(v) });
    expect([tx.trySend('a'), tx.trySend('b'), tx.trySend('c')]).toEqual([true, true, false]);
    expect(dropped).toEqual(['c']);
    const sent = tx.send('d');
    expect(dropped).toEqual(['c', 'd']);
    expect(await stateOf(sent)).toEqual({ state: 'fulfilled', value: undefined });
    tx.drop();
    expect(await rx.recvMany(10)).toEqual(['a', 'b']);
  });
});

describe('reserve under every policy', () => {
  it.each(['wait', 'dropOldest', 'dropNewest'] as const)("waits for a real slot under '%s'", async (overflow) => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(1, { overflow, onDrop: (v) => dropped.push(v) });
    tx.trySend(1);
    expect(tx.tryReserve()).toBeUndefined();
    const reserving = tx.reserve();
    expect(await stateOf(reserving)).toEqual({ state: 'pending' });
    expect(rx.tryRecv()).toBe(1);
    const state = await stateOf(reserving);
    expect(state.state).toBe('fulfilled');
    // The slot is really held: under a drop policy a send now overflows, it does not take it.
    expect(tx.capacity).toBe(0);
    (await reserving).send(2);
    expect(rx.tryRecv()).toBe(2);
    expect(dropped).toEqual([]);
  });
});

describe('maxPendingSends', () => {
  it('rejects the next send at once with ChannelOverflowError carrying the value once that many sends wait', async () => {
    const [tx, rx] = mpsc.channel<number>(1, { maxPendingSends: 2 });
    tx.trySend(0);
    const waiting = [tx.send(1), tx.send(2)];
    const refused = tx.send(3);
    const state = await stateOf(refused);
    expect(state.state).toBe('rejected');
    const reason = (state as { reason: unknown }).reason;
    expect(reason).toBeInstanceOf(ChannelOverflowError);
    expect(reason).toBeInstanceOf(ChannelError);
    expect((reason as ChannelOverflowError<number>).name).toBe('ChannelOverflowError');
    expect((reason as ChannelOverflowError<number>).value).toBe(3);
    for (const w of waiting) expect(await stateOf(w)).toEqual({ state: 'pending' });
    tx.drop();
    expect(await rx.recvMany(1)).toEqual([0]);
    expect(await rx.recvMany(1)).toEqual([1]);
    expect(await rx.recvMany(1)).toEqual([2]);
    expect(await rx.recv()).toBeUndefined();
  });

  it('with 0, rejects any send that would wait, and still accepts sends that find room', async () => {
    const [tx] = mpsc.channel<number>(1, { maxPendingSends: 0 });
    expect(await stateOf(tx.send(1))).toEqual({ state: 'fulfilled', value: undefined });
    const state = await stateOf(tx.send(2));
    expect(state.state).toBe('rejected');
    expect((state as { reason: ChannelOverflowError<number> }).reason.value).toBe(2);
  });

  it('defaults to Infinity: many sends may wait', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const waiting = Array.from({ length: 1000 }, (_, i) => tx.send(i + 1));
    await flush();
    expect(rx.length).toBe(1);
    tx.drop();
    const got: number[] = [];
    for await (const v of rx) got.push(v);
    expect(got).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    await Promise.all(waiting);
  });

  it('frees a place once a waiting send is served', async () => {
    const [tx, rx] = mpsc.channel<number>(1, { maxPendingSends: 1 });
    tx.trySend(0);
    const first = tx.send(1);
    expect(rx.tryRecv()).toBe(0);
    await first;
    const second = tx.send(2);
    expect(await stateOf(second)).toEqual({ state: 'pending' });
  });
});

describe('synchronous hand-off to an active subscriber', () => {
  it('hands each value to the subscriber in the same synchronous step in which it is sent', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const seen: number[] = [];
    rx.subscribe((v) => seen.push(v));
    for (let i = 0; i < 100; i++) {
      expect(tx.trySend(i)).toBe(true);
      expect(seen.length).toBe(i + 1);
    }
    expect(rx.length).toBe(0);
  });

  it('so a synchronous subscriber never lets a drop policy drop', () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(1, { overflow: 'dropNewest', onDrop: (v) => dropped.push(v) });
    const seen: number[] = [];
    rx.subscribe((v) => seen.push(v));
    const source = new Subject<number>();
    source.subscribe(tx);
    for (let i = 0; i < 50; i++) source.next(i);
    expect(seen).toHaveLength(50);
    expect(dropped).toEqual([]);
  });
});

describe('overflow policies in marbles', () => {
  // A hot source pushes into the channel before anyone subscribes; the late subscriber sees
  // what each policy kept.
  it.each([
    ['dropOldest', '------(cd|)', ['a', 'b']],
    ['dropNewest', '------(ab|)', ['c', 'd']],
    ['wait', '------(ab|)', []],
  ] as const)("'%s' keeps what it should for a late subscriber", (overflow, expected, droppedExpected) => {
    const dropped: string[] = [];
    marbles().run(({ hot, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(2, { overflow, onDrop: (v) => dropped.push(v) });
      hot('abcd|').subscribe({ next: (v) => void tx.trySend(v), complete: () => tx.drop() });
      expectObservable(rx, '------^').toBe(expected);
    });
    expect(dropped).toEqual(droppedExpected);
  });

  it('a subscriber that keeps up sees every value at the frame it was sent, under any policy', () => {
    for (const overflow of ['wait', 'dropOldest', 'dropNewest'] as const) {
      marbles().run(({ hot, expectObservable }) => {
        const [tx, rx] = mpsc.channel<string>(1, { overflow });
        hot('a-bc-d|').subscribe({ next: (v) => void tx.trySend(v), complete: () => tx.drop() });
        expectObservable(rx).toBe('a-bc-d|');
      });
    }
  });
});

describe('option checks', () => {
  it('throws RangeError showing an unknown overflow policy', () => {
    expect(() => mpsc.channel(1, { overflow: 'dropAll' as never })).toThrow(RangeError);
    expect(() => mpsc.channel(1, { overflow: 'dropAll' as never })).toThrow('`"dropAll"` (string)');
    expect(() => mpsc.channel(1, { overflow: 'dropAll' as never })).toThrow(/^Expected `overflow` to be one of 'wait', /);
  });

  it('throws TypeError showing an onDrop that is not a function', () => {
    expect(() => mpsc.channel(1, { onDrop: 5 as never })).toThrow(TypeError);
    expect(() => mpsc.channel(1, { onDrop: 5 as never })).toThrow('`5` (number)');
  });

  it('throws RangeError showing a maxPendingSends below 0', () => {
    expect(() => mpsc.channel(1, { maxPendingSends: -1 })).toThrow(RangeError);
    expect(() => mpsc.channel(1, { maxPendingSends: -1 })).toThrow(
      new RangeError('Expected `maxPendingSends` to be an integer >= 0 or Infinity, got `-1` (number)'),
    );
  });

  it.each([
    ['a number', 5, '`5` (number)'],
    ['a string', 'wait', '`"wait"` (string)'],
    ['null', null, '`null` (null)'],
  ])('throws TypeError showing options that are %s, not an object', (_label, options, shown) => {
    expect(() => mpsc.channel(1, options as never)).toThrow(new TypeError(`Expected \`options\` to be an object, got ${shown}`));
    expect(() => mpsc.channel(1, options as never)).toThrow(TypeError);
  });
});

describe('seams: an onDrop that throws', () => {
  const boom = new Error('onDrop failed');
  const drain = (rx: { tryRecv(): number | undefined }): number[] => {
    const out: number[] = [];
    for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) out.push(v);
    return out;
  };
  /** Calls `fn` and reports whether it threw synchronously (a promise-returning method must not). */
  const call = <R>(fn: () => R): { threw: unknown } | { result: R } => {
    try {
      return { result: fn() };
    } catch (error) {
      return { threw: error };
    }
  };

  it("under 'dropOldest', send rejects (never throws) with the error, after onDrop saw the evicted value, and does not queue the new value", async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(2, {
      overflow: 'dropOldest',
      onDrop: (v) => {
        dropped.push(v);
        throw boom;
      },
    });
    tx.trySend(1);
    tx.trySend(2);
    const attempt = call(() => tx.send(3));
    expect(attempt).not.toHaveProperty('threw');
    const sent = (attempt as { result: Promise<void> }).result;
    expect(await stateOf(sent)).toEqual({ state: 'rejected', reason: boom });
    expect(dropped).toEqual([1]);
    // the evicted value stays dropped (the policy said so); the new one was never queued
    expect(drain(rx)).toEqual([2]);
  });

  it("under 'dropOldest', trySend throws the error and does not queue the new value", () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(2, {
      overflow: 'dropOldest',
      onDrop: (v) => {
        dropped.push(v);
        throw boom;
      },
    });
    tx.trySend(1);
    tx.trySend(2);
    expect(() => tx.trySend(3)).toThrow(boom);
    expect(dropped).toEqual([1]);
    expect(rx.length).toBe(1);
    expect(drain(rx)).toEqual([2]);
  });

  it('a caller that retries after the rejection gets no duplicate', async () => {
    let fail = true;
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(2, {
      overflow: 'dropOldest',
      onDrop: (v) => {
        dropped.push(v);
        if (fail) {
          fail = false;
          throw boom;
        }
      },
    });
    tx.trySend(1);
    tx.trySend(2);
    await tx.send(3).catch(() => tx.send(3)); // retry once on failure
    // the first attempt evicted 1 and queued nothing, so the retry finds the freed slot
    expect(dropped).toEqual([1]);
    expect(drain(rx)).toEqual([2, 3]);
  });

  it("under 'dropNewest', send rejects (never throws) with the error and trySend throws it; the buffer is unchanged", async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(2, {
      overflow: 'dropNewest',
      onDrop: (v) => {
        dropped.push(v);
        throw boom;
      },
    });
    tx.trySend(1);
    tx.trySend(2);
    const attempt = call(() => tx.send(3));
    expect(attempt).not.toHaveProperty('threw');
    expect(await stateOf((attempt as { result: Promise<void> }).result)).toEqual({ state: 'rejected', reason: boom });
    expect(() => tx.trySend(4)).toThrow(boom);
    expect(dropped).toEqual([3, 4]);
    expect(drain(rx)).toEqual([1, 2]);
  });

  it('a select.send under a drop policy rejects with the error and does not queue its value', async () => {
    const [tx, rx] = mpsc.channel<number>(1, {
      overflow: 'dropOldest',
      onDrop: () => {
        throw boom;
      },
    });
    tx.trySend(1);
    const attempt = call(() => select({ out: select.send(tx, 2) }));
    expect(attempt).not.toHaveProperty('threw');
    expect(await stateOf((attempt as { result: Promise<unknown> }).result)).toEqual({ state: 'rejected', reason: boom });
    expect(drain(rx)).toEqual([]);
  });

  it('the sender as an Observer (source$.subscribe(tx)) neither throws nor leaves an unhandled rejection', async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpsc.channel<number>(1, {
      overflow: 'dropNewest',
      onDrop: (v) => {
        dropped.push(v);
        throw boom;
      },
    });
    // An error escaping tx.next would reach RxJS's unhandled-error hook: capture it there.
    const reported: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (error) => reported.push(error);
    try {
      expect(() => from([1, 2, 3]).subscribe(tx)).not.toThrow();
      await flush();
      await new Promise((resolve) => setTimeout(resolve, 0)); // RxJS reports on a 0 ms timer
    } finally {
      config.onUnhandledError = previous;
    }
    expect(reported).toEqual([]);
    expect(dropped).toEqual([2, 3]);
    expect(tx.isDropped).toBe(true);
    expect(drain(rx)).toEqual([1]);
  });

  it('the channel keeps working after a throwing onDrop', async () => {
    const [tx, rx] = mpsc.channel<number>(1, {
      overflow: 'dropNewest',
      onDrop: () => {
        throw boom;
      },
    });
    tx.trySend(1);
    await tx.send(2).catch(() => undefined);
    expect(await rx.recv()).toBe(1);
    await tx.send(3);
    expect(await rx.recv()).toBe(3);
    tx.drop();
    expect(await rx.recv()).toBeUndefined();
  });
});
