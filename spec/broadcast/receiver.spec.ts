import { config, lastValueFrom, Subscriber, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { broadcast, LaggedError, ReceiverBusyError } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

function lagOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    if (error instanceof LaggedError) return error.skipped;
    throw error;
  }
  throw new Error('did not lag');
}

// Ported from tokio/tests/sync_broadcast.rs (behaviours, adapted to this API), plus the
// Observable and async-iterator sides.
describe('broadcast.Receiver', () => {
  describe('recv', () => {
    it('waits for the next send (send_recv_bounded)', async () => {
      const [tx, rx] = broadcast.channel<string>(16);
      const recv = rx.recv();
      expect(await stateOf(recv)).toEqual({ state: 'pending' });
      tx.send('hello');
      expect(await stateOf(recv)).toEqual({ state: 'fulfilled', value: 'hello' });
    });

    it('wakes every waiting receiver with the same value (send_two_recv_bounded)', async () => {
      const [tx, rx1] = broadcast.channel<string>(16);
      const rx2 = tx.subscribe();
      const recv1 = rx1.recv();
      const recv2 = rx2.recv();
      tx.send('hello');
      expect(await recv1).toBe('hello');
      expect(await recv2).toBe('hello');
      const again = rx1.recv();
      tx.send('world');
      expect(await again).toBe('world');
      expect(await rx2.recv()).toBe('world');
    });

    it('a slow receiver still gets every value in order (send_slow_rx)', async () => {
      const [tx, rx1] = broadcast.channel<string>(16);
      const rx2 = tx.subscribe();
      const recv2 = rx2.recv();
      tx.send('one');
      tx.send('two');
      expect(await rx1.recv()).toBe('one');
      expect(await rx1.recv()).toBe('two');
      tx.send('three');
      expect(await rx1.recv()).toBe('three');
      expect(await recv2).toBe('one');
      expect([rx2.tryRecv(), rx2.tryRecv(), rx2.tryRecv()]).toEqual(['two', 'three', undefined]);
    });

    it('two concurrent recv calls on one receiver get consecutive values, no duplicate (change_tasks)', async () => {
      const [tx, rx] = broadcast.channel<number>(4);
      const a = rx.recv();
      const b = rx.recv();
      tx.send(1);
      expect(await stateOf(a)).toEqual({ state: 'fulfilled', value: 1 });
      expect(await stateOf(b)).toEqual({ state: 'pending' });
      tx.send(2);
      expect(await b).toBe(2);
    });

    it('an abort rejects with the reason and loses no value', async () => {
      const [tx, rx] = broadcast.channel<number>(4);
      const controller = new AbortController();
      const recv = rx.recv({ signal: controller.signal });
      controller.abort(new Error('stop'));
      await expect(recv).rejects.toThrow('stop');
      tx.send(1);
      expect(await rx.recv()).toBe(1);
    });

    it('an already-aborted signal rejects even when a value is waiting, and leaves the value', async () => {
      const [tx, rx] = broadcast.channel<number>(4);
      tx.send(1);
      const controller = new AbortController();
      controller.abort('gone');
      expect(await stateOf(rx.recv({ signal: controller.signal }))).toEqual({ state: 'rejected', reason: 'gone' });
      expect(await rx.recv()).toBe(1);
    });

    it('rejects TypeError for a signal that is not an AbortSignal', async () => {
      const [, rx] = broadcast.channel<number>(4);
      await expect(rx.recv({ signal: 'no' as never })).rejects.toThrow(TypeError);
      await expect(rx.recv({ signal: 'no' as never })).rejects.toThrow('got `"no"` (string)');
    });

    it('resolves undefined for a pending recv when the receiver is dropped', async () => {
      const [, rx] = broadcast.channel<number>(4);
      const recv = rx.recv();
      rx.drop();
      expect(await stateOf(recv)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.tryRecv()).toBeUndefined();
      expect(rx.isClosed).toBe(true);
    });

    it('ends for a receiver made after the last sender dropped', async () => {
      const [tx, rx] = broadcast.channel<number>(4);
      tx.drop();
      const late = rx.resubscribe();
      expect(await late.recv()).toBeUndefined();
    });
  });

  describe('lag', () => {
    it('reports LaggedError with .skipped, then continues from the oldest value held (lagging_rx)', () => {
      const [tx, rx1] = broadcast.channel<string>(2);
      const rx2 = tx.subscribe();
      tx.send('one');
      tx.send('two');
      expect(rx1.tryRecv()).toBe('one');
      tx.send('three');
      expect(lagOf(() => rx2.tryRecv())).toBe(1);
      expect(rx2.tryRecv()).toBe('two');
      expect(rx1.tryRecv()).toBe('two');
      expect(rx1.tryRecv()).toBe('three');
      tx.send('four');
      tx.send('five');
      expect(lagOf(() => rx2.tryRecv())).toBe(1);
      tx.send('six');
      expect(lagOf(() => rx2.tryRecv())).toBe(1);
    });

    it('recv rejects LaggedError once, then resolves the oldest value held', async () => {
      const [tx, rx] = broadcast.channel<number>(2);
      for (const n of [1, 2, 3, 4]) tx.send(n);
      const error = await rx.recv().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LaggedError);
      expect((error as LaggedError).skipped).toBe(2);
      expect(await rx.recv()).toBe(3);
    });

    it.each([
      [1, [1], 0],
      [1, [1, 2], 1],
      [2, [1, 2], 0],
      [2, [1, 2, 3], 1],
      [2, [1, 2, 3, 4], 2],
    ])('capacity %p after sending %p then dropping: lag %p, then the rest, then the end', (capacity, sent, skipped) => {
      // single_capacity_recvs_after_drop_*, lagging_receiver_recovers_after_wrap_closed_*
      const [tx, rx] = broadcast.channel<number>(capacity);
      for (const n of sent) tx.send(n);
      tx.drop();
      const received: number[] = [];
      let lag = 0;
      for (;;) {
        try {
          const v = rx.tryRecv();
          if (v === undefined) break;
          received.push(v);
        } catch (e) {
          lag += (e as LaggedError).skipped;
        }
      }
      expect(lag).toBe(skipped);
      expect(received).toEqual(sent.slice(skipped));
      expect(rx.isClosed).toBe(true);
    });

    it('recovers after the ring wrapped while still open (lagging_receiver_recovers_after_wrap_open)', () => {
      const [tx, rx] = broadcast.channel<number>(2);
      for (const n of [1, 2, 3]) tx.send(n);
      expect(lagOf(() => rx.tryRecv())).toBe(1);
      expect(rx.tryRecv()).toBe(2);
      expect(rx.tryRecv()).toBe(3);
      expect(rx.tryRecv()).toBeUndefined();
    });

    it('len counts every unread value, beyond the capacity when lagging (receiver_len_with_lagged)', () => {
      const [tx, rx] = broadcast.channel<number>(3);
      for (const n of [10, 20, 30, 40]) tx.send(n);
      expect(rx.length).toBe(4);
      expect(lagOf(() => rx.tryRecv())).toBe(1);
      expect(rx.length).toBe(3);
      expect(rx.tryRecv()).toBe(20);
      tx.send(50);
      tx.send(60);
      expect(rx.length).toBe(4);
      expect(rx.isEmpty).toBe(false);
      expect(lagOf(() => rx.tryRecv())).toBe(1);
    });
  });

  describe('resubscribe', () => {
    it('starts at the current end, whatever this receiver has not read (receiver_same_position_as_cloned adapted)', () => {
      const [tx, rx] = broadcast.channel<number>(4);
      tx.send(1);
      const rx2 = rx.resubscribe();
      expect(tx.receiverCount).toBe(2);
      expect(rx2.isEmpty).toBe(true);
      tx.send(2);
      expect([rx.tryRecv(), rx.tryRecv()]).toEqual([1, 2]);
      expect([rx2.tryRecv(), rx2.tryRecv()]).toEqual([2, undefined]);
    });

    it('from a lagging receiver, the new one is not lagging (resubscribe_lagged)', () => {
      const [tx, rx] = broadcast.channel<number>(1);
      tx.send(1);
      tx.send(2);
      const fresh = rx.resubscribe();
      expect(fresh.tryRecv()).toBeUndefined();
      tx.send(3);
      expect(fresh.tryRecv()).toBe(3);
      expect(lagOf(() => rx.tryRecv())).toBe(2);
    });

    it('works from a dropped receiver', () => {
      const [tx, rx] = broadcast.channel<number>(4);
      rx.drop();
      const rx2 = rx.resubscribe();
      expect(tx.send(1)).toBe(1);
      expect(rx2.tryRecv()).toBe(1);
    });
  });

  describe('as an Observable', () => {
    it('emits each value sent and completes when the senders are dropped (marbles)', () => {
      marbles().run(({ cold, expectObservable }) => {
        const [tx, rx] = broadcast.channel<string>(4);
        const other = tx.subscribe();
        cold('a-b-c|').subscribe({ next: (v) => tx.send(v), complete: () => tx.drop() });
        expectObservable(rx).toBe('a-b-c|');
        expectObservable(other).toBe('a-b-c|');
      });
    });

    it('emits first the values buffered for this receiver, then live ones (marbles)', () => {
      marbles().run(({ cold, expectObservable }) => {
        const [tx, rx] = broadcast.channel<string>(4);
        tx.send('x');
        tx.send('y');
        cold('----a|').subscribe({ next: (v) => tx.send(v), complete: () => tx.drop() });
        expectObservable(rx).toBe('(xy)a|');
      });
    });

    it("errors with LaggedError under the default 'error' policy", async () => {
      const [tx, rx] = broadcast.channel<number>(2);
      for (const n of [1, 2, 3]) tx.send(n);
      tx.drop();
      const error = await lastValueFrom(rx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LaggedError);
      expect((error as LaggedError).skipped).toBe(1);
    });

    it("skips over the lost values under the 'skip' policy", async () => {
      const [tx, rx] = broadcast.channel<number>(2, { lag: 'skip' });
      for (const n of [1, 2, 3, 4, 5]) tx.send(n);
      tx.drop();
      expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([4, 5]);
    });

    it('delivers synchronously inside send, as a Subject does', () => {
      const [tx, rx] = broadcast.channel<number>(1);
      const seen: number[] = [];
      rx.subscribe((v) => seen.push(v));
      tx.send(1);
      expect(seen).toEqual([1]);
      tx.send(2);
      expect(seen).toEqual([1, 2]);
    });

    it('a subscriber that sends from inside next() sees those values in order, after the current one', () => {
      const [tx, rx] = broadcast.channel<number>(8);
      const seen: number[] = [];
      rx.subscribe((v) => {
        seen.push(v);
        if (v < 3) tx.send(v + 1);
      });
      tx.send(0);
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(rx.length).toBe(0);
    });

    it('a second concurrent subscriber gets ReceiverBusyError; recv too while it is held', async () => {
      const [, rx] = broadcast.channel<number>(4);
      const sub = rx.subscribe();
      let caught: unknown;
      rx.subscribe({ error: (e) => (caught = e) });
      expect(caught).toBeInstanceOf(ReceiverBusyError);
      await expect(rx.recv()).rejects.toBeInstanceOf(ReceiverBusyError);
      expect(() => rx.tryRecv()).toThrow(ReceiverBusyError);
      sub.unsubscribe();
      expect(rx.tryRecv()).toBeUndefined();
    });

    it('after unsubscribe, unread values stay for the next consumer', async () => {
      const [tx, rx] = broadcast.channel<number>(8);
      for (let i = 0; i < 5; i++) tx.send(i);
      tx.drop();
      expect(await lastValueFrom(rx.pipe(take(2), toArray()))).toEqual([0, 1]);
      expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4]);
    });

    it('completes when the receiver is dropped', () => {
      const [tx, rx] = broadcast.channel<number>(4);
      let completed = false;
      rx.subscribe({ complete: () => (completed = true) });
      rx.drop();
      expect(completed).toBe(true);
      expect(tx.receiverCount).toBe(0);
    });

    it('a subscriber that throws does not stop the other receivers', () => {
      const [tx, rx] = broadcast.channel<number>(4);
      const other = tx.subscribe();
      const seen: number[] = [];
      const onUnhandled = jest.fn();
      rx.subscribe(() => {
        onUnhandled();
        throw new Error('bad subscriber');
      });
      other.subscribe((v) => seen.push(v));
      jest.useFakeTimers();
      try {
        expect(() => tx.send(1)).not.toThrow();
        expect(seen).toEqual([1]);
        expect(onUnhandled).toHaveBeenCalledTimes(1);
      } finally {
        jest.clearAllTimers();
        jest.useRealTimers();
      }
    });
  });

  describe('as an async iterable', () => {
    it('yields every value, then ends when the senders are dropped', async () => {
      const [tx, rx] = broadcast.channel<number | undefined>(4);
      const seen: (number | undefined)[] = [];
      const done = (async () => {
        for await (const v of rx) seen.push(v);
      })();
      await flush();
      for (const v of [1, undefined, 3]) tx.send(v);
      tx.drop();
      await done;
      expect(seen).toEqual([1, undefined, 3]);
    });

    it('break releases the receiver and keeps the unread values', async () => {
      const [tx, rx] = broadcast.channel<number>(8);
      for (const n of [1, 2, 3]) tx.send(n);
      tx.drop();
      for await (const v of rx) {
        expect(v).toBe(1);
        break;
      }
      expect(await rx.recv()).toBe(2);
    });

    it("throws LaggedError under 'error', skips under 'skip'", async () => {
      const [tx, rx] = broadcast.channel<number>(1);
      tx.send(1);
      tx.send(2);
      tx.drop();
      await expect(
        (async () => {
          for await (const _ of rx);
        })(),
      ).rejects.toBeInstanceOf(LaggedError);

      const [tx2, rx2] = broadcast.channel<number>(1, { lag: 'skip' });
      tx2.send(1);
      tx2.send(2);
      tx2.drop();
      const seen: number[] = [];
      for await (const v of rx2) seen.push(v);
      expect(seen).toEqual([2]);
    });

    it('a second concurrent iterator is refused with ReceiverBusyError', async () => {
      const [tx, rx] = broadcast.channel<number>(4);
      const first = rx[Symbol.asyncIterator]();
      const pending = first.next();
      await expect(rx[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ReceiverBusyError);
      tx.send(1);
      expect(await pending).toEqual({ value: 1, done: false });
      await first.return!();
      tx.send(2);
      expect(await rx.recv()).toBe(2);
    });
  });

  it('drop while values remain releases them (drop_rx_while_values_remain)', () => {
    const [tx, rx1] = broadcast.channel<string>(16);
    const rx2 = tx.subscribe();
    tx.send('one');
    tx.send('two');
    expect(rx1.tryRecv()).toBe('one');
    expect(rx2.tryRecv()).toBe('one');
    rx2.drop();
    rx1.drop();
    expect(tx.length).toBe(0);
    expect(rx1.length).toBe(0);
    expect(rx1.isDropped).toBe(true);
  });
});

describe('broadcast.Receiver iterator hand-over', () => {
  it('a next() pending when return() is called takes no value: it stays for the next consumer', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const it = rx[Symbol.asyncIterator]();
    const pending = it.next();
    await it.return!();
    tx.send(1);
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await rx.recv()).toBe(1);
  });

  it('an iterator that threw LaggedError releases the receiver', async () => {
    const [tx, rx] = broadcast.channel<number>(1);
    tx.send(1);
    tx.send(2);
    await expect(rx[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(LaggedError);
    expect(await rx.recv()).toBe(2);
  });
});

describe('seams: return() while a next() is pending', () => {
  it('settles the pending next() as done at once; a value sent later is not consumed and a later consumer gets it', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const iterator = rx[Symbol.asyncIterator]();
    const pending = iterator.next();
    expect(await stateOf(pending)).toEqual({ state: 'pending' });
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await stateOf(pending)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    tx.send(1);
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

  it('unsubscribing in its first next (delivered during subscribe) reads exactly one value; the rest stay unread', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    for (const n of [1, 2, 3]) tx.send(n);
    const seen: number[] = [];
    rx.subscribe(raw(seen, (_v, self) => self.unsubscribe()));
    expect(seen).toEqual([1]);
    expect(rx.tryRecv()).toBe(2);
    expect(rx.tryRecv()).toBe(3);
  });

  it('sending in its first next delivers the new value after the unread ones', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    for (const n of [1, 2]) tx.send(n);
    const seen: number[] = [];
    rx.subscribe(raw(seen, (v) => void (v === 1 && tx.send(3))));
    expect(seen).toEqual([1, 2, 3]);
    tx.send(4);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('dropping the last sender in its first next still delivers every unread value, then completes', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    for (const n of [1, 2, 3]) tx.send(n);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => tx.drop(), events));
    expect(seen).toEqual([1, 2, 3]);
    expect(events).toEqual(['complete']);
  });

  it('dropping the receiver in its first next completes it after that value; the sender no longer counts it', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const other = tx.subscribe();
    for (const n of [1, 2, 3]) tx.send(n);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => rx.drop(), events));
    expect(seen).toEqual([1]);
    expect(events).toEqual(['complete']);
    expect(tx.receiverCount).toBe(1);
    expect(tx.send(4)).toBe(1);
    expect(seen).toEqual([1]);
    expect([other.tryRecv(), other.tryRecv(), other.tryRecv(), other.tryRecv()]).toEqual([1, 2, 3, 4]);
  });
});

describe('seams: a subscriber whose next throws', () => {
  let previous: typeof config.onUnhandledError;
  beforeEach(() => {
    previous = config.onUnhandledError;
    config.onUnhandledError = () => {};
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0)); // RxJS reports on a 0 ms timer
    config.onUnhandledError = previous;
  });

  it('does not fail the send, loses no value for itself beyond the one delivered, and the other receivers get every value', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const other = tx.subscribe();
    const seen: number[] = [];
    const others: number[] = [];
    const sub = new Subscriber<number>({
      next: (v: number) => {
        seen.push(v);
        if (v === 1) throw new Error('subscriber failed');
      },
      error: () => {},
      complete: () => {},
    } as unknown as Subscriber<number>);
    rx.subscribe(sub);
    other.subscribe((v) => others.push(v));
    for (const n of [1, 2, 3]) {
      let reached: number | undefined;
      expect(() => (reached = tx.send(n))).not.toThrow();
      expect(reached).toBe(2);
    }
    sub.unsubscribe();
    const rest: number[] = [];
    for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) rest.push(v);
    expect([...seen, ...rest]).toEqual([1, 2, 3]);
    expect(others).toEqual([1, 2, 3]);
    tx.send(4);
    expect(rx.tryRecv()).toBe(4);
  });
});

describe('seams: Receiver.recvMany', () => {
  it('takes up to `limit` of the values available, in order', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    for (const n of [1, 2, 3]) tx.send(n);
    expect(await rx.recvMany(2)).toEqual([1, 2]);
    expect(await rx.recvMany(2)).toEqual([3]);
  });

  it('waits for at least one value', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const batch = rx.recvMany(4);
    expect(await stateOf(batch)).toEqual({ state: 'pending' });
    tx.send(5);
    expect(await stateOf(batch)).toEqual({ state: 'fulfilled', value: [5] });
  });

  it('resolves [] at the end, after the unread values', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    tx.send(1);
    const waiting = tx.subscribe();
    const pending = waiting.recvMany(4);
    tx.drop();
    expect(await rx.recvMany(4)).toEqual([1]);
    expect(await rx.recvMany(4)).toEqual([]);
    expect(await pending).toEqual([]);
  });

  it('rejects LaggedError as recv does, then continues from the oldest value still held', async () => {
    const [tx, rx] = broadcast.channel<number>(2);
    for (const n of [1, 2, 3]) tx.send(n);
    const lagged = await rx.recvMany(8).catch((e: unknown) => e);
    expect(lagged).toBeInstanceOf(LaggedError);
    expect((lagged as LaggedError).skipped).toBe(1);
    expect(await rx.recvMany(8)).toEqual([2, 3]);
  });

  it('moves only this receiver: another receiver still reads every value', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const other = tx.subscribe();
    for (const n of [1, 2]) tx.send(n);
    expect(await rx.recvMany(8)).toEqual([1, 2]);
    expect(await other.recvMany(1)).toEqual([1]);
    expect(await other.recvMany(8)).toEqual([2]);
  });

  it('rejects (never throws) RangeError showing a bad limit, ReceiverBusyError while held, and an aborted signal’s reason', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    let bad: Promise<number[]> | undefined;
    expect(() => (bad = rx.recvMany(0))).not.toThrow();
    await expect(bad).rejects.toThrow(RangeError);
    await expect(rx.recvMany(1.5)).rejects.toThrow('got `1.5` (number)');
    await expect(rx.recvMany(1, { signal: AbortSignal.abort('stop') })).rejects.toBe('stop');
    const sub = rx.subscribe();
    await expect(rx.recvMany(1)).rejects.toBeInstanceOf(ReceiverBusyError);
    sub.unsubscribe();
    tx.send(1);
    expect(await rx.recvMany(1)).toEqual([1]);
  });

  it('an abort while waiting rejects with the reason and moves nothing', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const controller = new AbortController();
    const batch = rx.recvMany(4, { signal: controller.signal });
    controller.abort('stop');
    expect(await stateOf(batch)).toEqual({ state: 'rejected', reason: 'stop' });
    tx.send(1);
    expect(rx.tryRecv()).toBe(1);
  });
});

describe('seams: one name, `length`', () => {
  it('Receiver.length counts the values this receiver has not read; there is no `len`', () => {
    const [tx, rx] = broadcast.channel<number>(2);
    expect(rx.length).toBe(0);
    for (const n of [1, 2, 3]) tx.send(n);
    expect(rx.length).toBe(3);
    expect('len' in rx).toBe(false);
  });

  it('Sender.length counts the values still held for the slowest receiver; there is no `len`', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    tx.send(1);
    tx.send(2);
    expect(tx.length).toBe(2);
    rx.tryRecv();
    expect(tx.length).toBe(1);
    expect('len' in tx).toBe(false);
  });
});
