import { config, lastValueFrom, map, Subscriber, Subscription, take, toArray } from 'rxjs';
import { mergeMapBounded, mpsc, ReceiverBusyError, ReceiverDroppedError, SendError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  const s = await stateOf(promise);
  if (s.state !== 'rejected') throw new Error(`expected a rejection, got ${s.state}`);
  return s.reason;
}

function filled<T>(capacity: number, values: readonly T[]): [mpsc.Sender<T>, mpsc.Receiver<T>] {
  const [tx, rx] = mpsc.channel<T>(capacity);
  for (const v of values) expect(tx.trySend(v)).toBe(true);
  return [tx, rx];
}

describe('Receiver.recv', () => {
  it('returns buffered values in send order', async () => {
    const [, rx] = filled(4, ['a', 'b', 'c']);
    expect([await rx.recv(), await rx.recv(), await rx.recv()]).toEqual(['a', 'b', 'c']);
  });

  it('waits while empty and resolves with the next value sent', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const next = rx.recv();
    expect(await stateOf(next)).toEqual({ state: 'pending' });
    expect(tx.trySend(4)).toBe(true);
    expect(rx.length).toBe(0);
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: 4 });
  });

  it('serves concurrent recv calls in call order', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const a = rx.recv();
    const b = rx.recv();
    tx.trySend(1);
    tx.trySend(2);
    expect([await a, await b]).toEqual([1, 2]);
  });

  it('resolves undefined once every strong sender is dropped and the buffer is drained', async () => {
    const [tx, rx] = filled(2, [1]);
    const tx2 = tx.clone();
    tx.drop();
    expect(await rx.recv()).toBe(1);
    const end = rx.recv();
    expect(await stateOf(end)).toEqual({ state: 'pending' });
    tx2.drop();
    expect(await stateOf(end)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await rx.recv()).toBeUndefined();
  });

  it('resolves undefined after close once the buffer is drained', async () => {
    const [, rx] = filled(2, [1]);
    const end = rx.recv();
    rx.close();
    expect(await end).toBe(1);
    expect(await rx.recv()).toBeUndefined();
  });

  it('rejects with the error(e) reason after draining, also when it was already waiting', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const waiting = rx.recv();
    const boom = new Error('boom');
    tx.error(boom);
    expect(await reasonOf(waiting)).toBe(boom);
    expect(await reasonOf(rx.recv())).toBe(boom);
  });

  it('an abort rejects with signal.reason and loses no value', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const ac = new AbortController();
    const reason = new Error('cancelled');
    const aborted = rx.recv({ signal: ac.signal });
    ac.abort(reason);
    expect(await reasonOf(aborted)).toBe(reason);
    tx.trySend(1);
    expect(rx.length).toBe(1);
    expect(await rx.recv()).toBe(1);
  });

  it('an already-aborted signal rejects and leaves buffered values in place', async () => {
    const [, rx] = filled(2, [1]);
    const reason = new Error('already');
    expect(await reasonOf(rx.recv({ signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(rx.length).toBe(1);
    expect(rx.tryRecv()).toBe(1);
  });

  it('rejects ReceiverBusyError while a subscriber holds the receiver', async () => {
    const [, rx] = mpsc.channel<number>(1);
    const sub = rx.subscribe();
    expect(await reasonOf(rx.recv())).toBeInstanceOf(ReceiverBusyError);
    sub.unsubscribe();
    expect(await stateOf(rx.recv())).toEqual({ state: 'pending' });
  });
});

describe('Receiver.tryRecv', () => {
  it('returns undefined when empty and the oldest value otherwise', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    expect(rx.tryRecv()).toBeUndefined();
    tx.trySend(1);
    tx.trySend(2);
    expect(rx.tryRecv()).toBe(1);
    expect(rx.tryRecv()).toBe(2);
    expect(rx.tryRecv()).toBeUndefined();
  });

  it('frees a slot for the longest-waiting sender', async () => {
    const [tx, rx] = filled(1, [1]);
    const waiting = tx.send(2);
    expect(rx.tryRecv()).toBe(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.tryRecv()).toBe(2);
  });

  it('throws ReceiverBusyError while a subscriber holds the receiver', () => {
    const [, rx] = filled(2, [1]);
    const sub = rx.pipe(take(1)).subscribe();
    // take(1) got 1 and released; a live subscriber holds it:
    expect(rx.tryRecv()).toBeUndefined();
    sub.unsubscribe();
    const live = rx.subscribe();
    expect(() => rx.tryRecv()).toThrow(ReceiverBusyError);
    live.unsubscribe();
  });
});

describe('Receiver.recvMany', () => {
  it('takes up to `limit` of the buffered values', async () => {
    const [, rx] = filled(8, [1, 2, 3, 4, 5]);
    expect(await rx.recvMany(2)).toEqual([1, 2]);
    expect(await rx.recvMany(10)).toEqual([3, 4, 5]);
  });

  it('waits for at least one value and never waits to fill the batch', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    const batch = rx.recvMany(5);
    expect(await stateOf(batch)).toEqual({ state: 'pending' });
    tx.trySend(1);
    expect(await stateOf(batch)).toEqual({ state: 'fulfilled', value: [1] });
    expect(rx.tryRecv()).toBeUndefined();
  });

  it('a woken batch also takes the values sent before its continuation runs, up to `limit`', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    const batch = rx.recvMany(3);
    for (const n of [1, 2, 3, 4]) tx.trySend(n);
    expect(rx.length).toBe(1); // 1, 2 and 3 left the channel with the batch; 4 is buffered
    expect(await batch).toEqual([1, 2, 3]);
    tx.trySend(5);
    expect(await rx.recvMany(3)).toEqual([4, 5]);
  });

  it('a woken batch closes before its continuation runs: later values stay buffered', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    const got = await (async () => {
      const pending = rx.recvMany(10);
      tx.trySend(1);
      const batch = await pending;
      tx.trySend(2); // after the continuation started: must not mutate the batch already handed over
      return batch;
    })();
    expect(got).toEqual([1]);
    expect(rx.tryRecv()).toBe(2);
  });

  it('resolves [] at the end', async () => {
    const [tx, rx] = filled(2, [1]);
    tx.drop();
    expect(await rx.recvMany(4)).toEqual([1]);
    expect(await rx.recvMany(4)).toEqual([]);
  });

  it('grants freed slots to waiting senders in order', async () => {
    const [tx, rx] = filled(2, [1, 2]);
    const a = tx.send(3);
    const b = tx.send(4);
    expect(await rx.recvMany(2)).toEqual([1, 2]);
    expect(await stateOf(a)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(b)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await rx.recvMany(2)).toEqual([3, 4]);
  });

  it.each([0, -1, 1.5, NaN, Infinity])('rejects RangeError showing the bad limit %p', async (limit) => {
    const [, rx] = filled(2, [1]);
    const reason = await reasonOf(rx.recvMany(limit));
    expect(reason).toBeInstanceOf(RangeError);
    expect((reason as Error).message).toBe(`Expected \`limit\` to be an integer >= 1, got \`${String(limit)}\` (number)`);
    expect(rx.length).toBe(1);
  });

  it('rejects TypeError showing the bad limit when it is not a number', async () => {
    const [, rx] = mpsc.channel<number>(2);
    const reason = await reasonOf(rx.recvMany('3' as unknown as number));
    expect(reason).toBeInstanceOf(TypeError);
    expect((reason as Error).message).toBe('Expected `limit` to be an integer >= 1, got `"3"` (string)');
  });

  it('an abort rejects with signal.reason and loses no value', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const ac = new AbortController();
    const batch = rx.recvMany(2, { signal: ac.signal });
    ac.abort('why');
    expect(await reasonOf(batch)).toBe('why');
    tx.trySend(1);
    expect(await rx.recvMany(2)).toEqual([1]);
  });

  it('rejects ReceiverBusyError while a subscriber holds the receiver', async () => {
    const [, rx] = filled(2, [1]);
    const sub = rx.pipe(map((v) => v)).subscribe();
    expect(await reasonOf(rx.recvMany(2))).toBeInstanceOf(ReceiverBusyError);
    sub.unsubscribe();
  });

  it('rejects with the error(e) reason after draining', async () => {
    const [tx, rx] = filled(2, [1]);
    tx.error('bad');
    expect(await rx.recvMany(5)).toEqual([1]);
    expect(await reasonOf(rx.recvMany(5))).toBe('bad');
  });
});

describe('Receiver.close and disposal', () => {
  it('rejects pending and future sends with SendError and keeps buffered values receivable', async () => {
    const [tx, rx] = filled(1, [1]);
    const pending = tx.send(2);
    rx.close();
    expect((await reasonOf(pending)) as SendError<number>).toMatchObject({ name: 'SendError', value: 2 });
    expect((await reasonOf(tx.send(3))) as SendError<number>).toMatchObject({ value: 3 });
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBeUndefined();
  });

  it('is idempotent', async () => {
    const [tx, rx] = filled(2, [1]);
    rx.close();
    rx.close();
    expect(tx.isClosed).toBe(true);
    expect(await rx.recv()).toBe(1);
  });

  it('[Symbol.dispose] closes, and a `using` scope closes at its end', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    {
      using _scoped = rx;
      expect(tx.isClosed).toBe(false);
    }
    expect(tx.isClosed).toBe(true);
    expect(() => tx.trySend(1)).toThrow(SendError);
  });

  it('ends a waiting recv and completes a subscriber once drained', async () => {
    const [, rx] = mpsc.channel<number>(2);
    const waiting = rx.recv();
    rx.close();
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });

    const [, rx2] = mpsc.channel<number>(2);
    let completed = false;
    rx2.subscribe({ complete: () => (completed = true) });
    rx2.close();
    expect(completed).toBe(true);
  });
});

describe('Receiver state', () => {
  it('isClosed is true once no further value can arrive, even with values still buffered', () => {
    const [tx, rx] = filled(2, [1]);
    expect(rx.isClosed).toBe(false);
    tx.drop();
    expect(rx.isClosed).toBe(true);
    expect(rx.isEmpty).toBe(false);
  });

  it('isClosed stays false while a send issued before the last drop is still waiting', () => {
    const [tx, rx] = filled(1, [1]);
    void tx.send(2);
    tx.drop();
    expect(rx.isClosed).toBe(false);
    rx.tryRecv();
    expect(rx.isClosed).toBe(true);
  });

  it('isClosed stays false while a granted permit is outstanding, after close', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    rx.close();
    expect(rx.isClosed).toBe(false);
    permit.release();
    expect(rx.isClosed).toBe(true);
  });

  it('isEmpty and length follow the buffer', () => {
    const [tx, rx] = mpsc.channel<number>(3);
    expect([rx.isEmpty, rx.length]).toEqual([true, 0]);
    tx.trySend(1);
    tx.trySend(2);
    expect([rx.isEmpty, rx.length]).toEqual([false, 2]);
    rx.tryRecv();
    expect([rx.isEmpty, rx.length]).toEqual([false, 1]);
  });

  it('maxCapacity and senderCount report the channel', () => {
    const [tx, rx] = mpsc.channel<number>(7);
    expect(rx.maxCapacity).toBe(7);
    const tx2 = tx.clone();
    tx.downgrade();
    expect(rx.senderCount).toBe(2);
    tx2.drop();
    expect(rx.senderCount).toBe(1);
  });
});

describe('Receiver as an Observable', () => {
  it('emits values in send order and completes when the last sender drops and the buffer drains', async () => {
    const [tx, rx] = filled(4, [1, 2]);
    const all = lastValueFrom(rx.pipe(toArray()));
    await tx.send(3);
    tx.drop();
    expect(await all).toEqual([1, 2, 3]);
  });

  it('errors with the error(e) reason after delivering what was buffered', () => {
    const [tx, rx] = filled(4, [1, 2]);
    const seen: unknown[] = [];
    rx.subscribe({ next: (v) => seen.push(v), error: (e) => seen.push(['error', e]) });
    tx.error('boom');
    expect(seen).toEqual([1, 2, ['error', 'boom']]);
  });

  it('gives a second concurrent subscriber ReceiverBusyError at once, and the first keeps receiving', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const first: number[] = [];
    rx.subscribe((v) => first.push(v));
    let busy: unknown;
    const second: number[] = [];
    rx.subscribe({ next: (v) => second.push(v), error: (e) => (busy = e) });
    expect(busy).toBeInstanceOf(ReceiverBusyError);
    tx.trySend(1);
    expect(first).toEqual([1]);
    expect(second).toEqual([]);
  });

  it('gives a subscriber ReceiverBusyError while an iterator holds the receiver', async () => {
    const [tx, rx] = filled(4, [1, 2]);
    const it = rx[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 1, done: false });
    let busy: unknown;
    rx.subscribe({ error: (e) => (busy = e) });
    expect(busy).toBeInstanceOf(ReceiverBusyError);
    await it.return!();
    expect(await lastValueFrom(rx.pipe(take(1)))).toBe(2);
    tx.drop();
  });

  it('gives a subscriber ReceiverBusyError while a recv is pending', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const pending = rx.recv();
    let busy: unknown;
    rx.subscribe({ error: (e) => (busy = e) });
    expect(busy).toBeInstanceOf(ReceiverBusyError);
    tx.trySend(1);
    expect(await pending).toBe(1);
  });

  it('keeps undelivered values buffered after unsubscribe: take(2) then toArray()', async () => {
    const [tx, rx] = filled(8, [0, 1, 2, 3, 4]);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(take(2), toArray()))).toEqual([0, 1]);
    expect(rx.length).toBe(3);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4]);
  });

  it('values sent after unsubscribe wait in the buffer for the next subscriber', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const seen: number[] = [];
    const sub = rx.subscribe((v) => seen.push(v));
    tx.trySend(1);
    sub.unsubscribe();
    tx.trySend(2);
    expect(rx.length).toBe(1);
    rx.subscribe((v) => seen.push(v));
    expect(seen).toEqual([1, 2]);
  });

  it('a subscriber that throws in next does not corrupt the channel', async () => {
    const reported: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (e) => reported.push(e);
    try {
      const [tx, rx] = mpsc.channel<number>(2);
      const seen: number[] = [];
      let completed = false;
      rx.subscribe({
        next: (v) => {
          seen.push(v);
          if (v === 2) throw new Error('subscriber bug');
        },
        complete: () => (completed = true),
      });
      for (let i = 1; i <= 4; i++) await tx.send(i);
      tx.drop();
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(completed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 0)); // RxJS reports on a 0 ms timer
      expect(reported).toEqual([new Error('subscriber bug')]);
    } finally {
      config.onUnhandledError = previous;
    }
  });

  it('an operator that throws ends that subscription and leaves the rest of the values buffered', async () => {
    const [tx, rx] = filled(8, [1, 2, 3, 4]);
    let failure: unknown;
    rx.pipe(
      map((v) => {
        if (v === 2) throw new Error('map bug');
        return v;
      }),
    ).subscribe({ error: (e) => (failure = e) });
    expect((failure as Error).message).toBe('map bug');
    expect(rx.length).toBe(2);
    expect(tx.trySend(5)).toBe(true);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([3, 4, 5]);
  });

  it('a subscriber that unsubscribes itself mid-delivery stops receiving, and the rest stays buffered', () => {
    const [tx, rx] = mpsc.channel<number>(8);
    const seen: number[] = [];
    const sub: Subscription = rx.subscribe((v) => {
      seen.push(v);
      if (v === 1) sub.unsubscribe();
    });
    for (const v of [1, 2, 3]) tx.trySend(v);
    expect(seen).toEqual([1]);
    expect(rx.length).toBe(2);
    tx.drop();
  });

  it('a subscriber that sends back into the channel sees its own values after the current one, in order', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const seen: number[] = [];
    rx.subscribe((v) => {
      seen.push(v);
      if (v < 3) {
        tx.trySend(v * 10);
        tx.trySend(v * 10 + 1);
      }
    });
    tx.trySend(1);
    expect(seen).toEqual([1, 10, 11]);
  });

  it('does not complete while a granted permit is outstanding, then delivers its value and completes', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    tx.drop();
    const seen: unknown[] = [];
    rx.subscribe({ next: (v) => seen.push(v), complete: () => seen.push('complete') });
    expect(seen).toEqual([]);
    permit.send(1);
    expect(seen).toEqual([1, 'complete']);
  });

  it('a subscriber that subscribes again from its complete callback gets the end too', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const seen: string[] = [];
    rx.subscribe({
      complete: () => {
        seen.push('first complete');
        rx.subscribe({ next: () => seen.push('second next'), complete: () => seen.push('second complete') });
      },
    });
    tx.drop();
    expect(seen).toEqual(['first complete', 'second complete']);
  });

  it('subscribing to an ended and drained receiver completes at once', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    tx.drop();
    let completed = false;
    rx.subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });
});

describe('Receiver as an async iterator', () => {
  it('ends the for await loop when closed and drained', async () => {
    const [tx, rx] = filled(4, [1, 2, 3]);
    tx.drop();
    const seen: number[] = [];
    for await (const v of rx) seen.push(v);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('waits for values sent later', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const it = rx[Symbol.asyncIterator]();
    const first = it.next();
    expect(await stateOf(first)).toEqual({ state: 'pending' });
    await tx.send(1);
    expect(await stateOf(first)).toEqual({ state: 'fulfilled', value: { value: 1, done: false } });
  });

  it('claims the receiver on its first next(), not when created', async () => {
    const [, rx] = filled(4, [1, 2]);
    const it = rx[Symbol.asyncIterator]();
    expect(rx.tryRecv()).toBe(1); // not claimed yet
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(() => rx.tryRecv()).toThrow(ReceiverBusyError);
    expect(await reasonOf(rx.recv())).toBeInstanceOf(ReceiverBusyError);
  });

  it('a second concurrent iterator gets ReceiverBusyError on its first next()', async () => {
    const [, rx] = filled(4, [1, 2]);
    const a = rx[Symbol.asyncIterator]();
    const b = rx[Symbol.asyncIterator]();
    expect(await a.next()).toEqual({ value: 1, done: false });
    expect(await reasonOf(b.next())).toBeInstanceOf(ReceiverBusyError);
    expect(await a.next()).toEqual({ value: 2, done: false });
  });

  it('gets ReceiverBusyError while a subscriber holds the receiver', async () => {
    const [, rx] = mpsc.channel<number>(4);
    rx.subscribe();
    const it = rx[Symbol.asyncIterator]();
    expect(await reasonOf(it.next())).toBeInstanceOf(ReceiverBusyError);
  });

  it("an iterator's first next() while a recv() waits rejects ReceiverBusyError; the recv gets the value", async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const waiting = rx.recv();
    const it = rx[Symbol.asyncIterator]();
    expect(await reasonOf(it.next())).toBeInstanceOf(ReceiverBusyError);
    tx.trySend(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: 1 });
    tx.trySend(2);
    expect(rx.tryRecv()).toBe(2); // the refused iterator holds nothing
  });

  it('break releases the receiver and keeps the buffered values', async () => {
    const [tx, rx] = filled(8, [0, 1, 2, 3]);
    tx.drop();
    const seen: number[] = [];
    for await (const v of rx) {
      seen.push(v);
      if (v === 1) break;
    }
    expect(seen).toEqual([0, 1]);
    expect(rx.length).toBe(2);
    expect(rx.tryRecv()).toBe(2);
    const rest: number[] = [];
    for await (const v of rx) rest.push(v);
    expect(rest).toEqual([3]);
  });

  it('return() while a next() waits ends that next() with done and loses no later value', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const it = rx[Symbol.asyncIterator]();
    const waiting = it.next();
    await it.return!();
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    tx.trySend(1);
    expect(rx.tryRecv()).toBe(1);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('passes undefined and null values through', async () => {
    const [tx, rx] = filled<number | null | undefined>(4, [undefined, null, 0, undefined]);
    tx.drop();
    const seen: (number | null | undefined)[] = [];
    for await (const v of rx) seen.push(v);
    expect(seen).toEqual([undefined, null, 0, undefined]);
  });

  it('throws the error(e) reason after draining', async () => {
    const [tx, rx] = filled(4, [1, 2]);
    tx.error(new Error('boom'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const v of rx) seen.push(v);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('a throw inside the loop body releases the receiver and keeps the rest', async () => {
    const [tx, rx] = filled(4, [1, 2, 3]);
    await expect(
      (async () => {
        for await (const v of rx) if (v === 1) throw new Error('body');
      })(),
    ).rejects.toThrow('body');
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3]);
  });
});

describe('Receiver argument errors', () => {
  it('recv and recvMany reject TypeError showing a signal that is not an AbortSignal, taking nothing', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    const bad = { signal: 42 as unknown as AbortSignal };
    await expect(rx.recv(bad)).rejects.toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `42` (number)'));
    await expect(rx.recvMany(2, bad)).rejects.toThrow(TypeError);
    expect(rx.length).toBe(1);
  });
});

describe('seams: return() while a next() is pending', () => {
  it('settles the pending next() as done; a value sent later is not consumed and a later consumer gets it', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
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
  /** A raw Subscriber (no SafeSubscriber wrapper) whose next runs `act` with a handle to itself. */
  const subscriber = (seen: number[], act: (v: number, self: Subscriber<number>) => void, events: string[] = []): Subscriber<number> => {
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

  it('unsubscribing in its first next (delivered during subscribe) takes exactly one value; the rest stay for the next subscriber', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    rx.subscribe(subscriber(seen, (_v, self) => self.unsubscribe()));
    expect(seen).toEqual([1]);
    expect(rx.length).toBe(2);
    const next: number[] = [];
    rx.subscribe((v) => next.push(v));
    expect(next).toEqual([2, 3]);
  });

  it('unsubscribing via take(1) in its first next leaves the rest buffered', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    rx.pipe(take(1)).subscribe((v) => seen.push(v));
    expect(seen).toEqual([1]);
    expect(rx.length).toBe(2);
    expect(rx.tryRecv()).toBe(2);
  });

  it('sending in its first next delivers the new value after the buffered ones, as a send from outside would', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    rx.subscribe(subscriber(seen, (v) => void (v === 1 && tx.trySend(4))));
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(rx.length).toBe(0);
  });

  it('dropping the last sender in its first next still delivers every buffered value, then completes', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(subscriber(seen, () => tx.drop(), events));
    expect(seen).toEqual([1, 2, 3]);
    expect(events).toEqual(['complete']);
  });

  it('closing the receiver in its first next still delivers every buffered value, then completes; later sends are refused', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(subscriber(seen, () => rx.close(), events));
    expect(seen).toEqual([1, 2, 3]);
    expect(events).toEqual(['complete']);
    expect(() => tx.trySend(4)).toThrow(SendError);
  });

  it('unsubscribing in a later next stops there; a value sent from inside before unsubscribing stays buffered', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2]) tx.trySend(n);
    const seen: number[] = [];
    rx.subscribe(
      subscriber(seen, (v, self) => {
        if (v === 2) {
          tx.trySend(3);
          self.unsubscribe();
        }
      }),
    );
    expect(seen).toEqual([1, 2]);
    expect(rx.length).toBe(1);
    expect(rx.tryRecv()).toBe(3);
  });
});

describe('seams: a subscriber whose next throws', () => {
  const boom = new Error('subscriber failed');
  let reported: unknown[];
  let previous: typeof config.onUnhandledError;
  beforeEach(() => {
    reported = [];
    previous = config.onUnhandledError;
    config.onUnhandledError = (error) => reported.push(error);
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0)); // RxJS reports on a 0 ms timer
    config.onUnhandledError = previous;
  });

  const throwing = (seen: number[], on: number): Subscriber<number> =>
    new Subscriber<number>({
      next: (v: number) => {
        seen.push(v);
        if (v === on) throw boom;
      },
      error: () => {},
      complete: () => {},
    } as unknown as Subscriber<number>);

  it('loses no value beyond the one delivered, does not fail the sender, and the channel keeps working', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const seen: number[] = [];
    const sub = throwing(seen, 1);
    rx.subscribe(sub);
    let accepted: boolean | undefined;
    expect(() => (accepted = tx.trySend(1))).not.toThrow();
    expect(accepted).toBe(true);
    let sent: Promise<void> | undefined;
    expect(() => (sent = tx.send(2))).not.toThrow();
    expect(await stateOf(sent!)).toEqual({ state: 'fulfilled', value: undefined });
    expect(tx.trySend(3)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    sub.unsubscribe();
    const rest: number[] = [];
    for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) rest.push(v);
    // every value exactly once: to the throwing subscriber or, after it, to the next consumer
    expect([...seen, ...rest]).toEqual([1, 2, 3]);
    tx.trySend(4);
    expect(await rx.recv()).toBe(4);
  });

  it('throwing on a value delivered during subscribe loses no other buffered value', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const seen: number[] = [];
    const sub = throwing(seen, 1);
    expect(() => rx.subscribe(sub)).not.toThrow();
    sub.unsubscribe();
    const rest: number[] = [];
    for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) rest.push(v);
    expect([...seen, ...rest]).toEqual([1, 2, 3]);
    expect(tx.trySend(4)).toBe(true);
    expect(rx.tryRecv()).toBe(4);
  });
});

describe('seams: Receiver.pendingSends', () => {
  it('counts the sends and reserves waiting for a slot', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    expect(rx.pendingSends).toBe(0);
    tx.trySend(0);
    const sent = tx.send(1);
    const reserved = tx.reserve();
    expect(rx.pendingSends).toBe(2);
    expect(tx.pendingSends).toBe(2);
    expect(rx.tryRecv()).toBe(0);
    expect(await stateOf(sent)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.pendingSends).toBe(1);
    expect(rx.tryRecv()).toBe(1);
    (await reserved).release();
    expect(rx.pendingSends).toBe(0);
    expect(tx.pendingSends).toBe(0);
  });
});

describe('Receiver read by an operator (mergeMapBounded)', () => {
  it('is refused with ReceiverBusyError while a recv() waits; the recv gets the next value', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const waiting = rx.recv();
    let failure: unknown;
    const projected: number[] = [];
    rx.pipe(mergeMapBounded(async (v: number) => projected.push(v), { concurrency: 1 })).subscribe({ error: (e) => (failure = e) });
    expect(failure).toBeInstanceOf(ReceiverBusyError);
    tx.trySend(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: 1 });
    tx.trySend(2);
    expect(rx.tryRecv()).toBe(2); // the refused operator holds nothing
    expect(projected).toEqual([]);
  });
});

describe('Receiver.intoPort (opened in this thread)', () => {
  it('moves the receiver: the handle opened from the port gets what was buffered and what comes later', async () => {
    const [tx, rx] = filled(2, [1]);
    const port = rx.intoPort();
    expect(port).toBeInstanceOf(MessagePort);
    const remote = mpsc.receiverFromPort<number>(port);
    const all = lastValueFrom(remote.pipe(toArray()));
    await tx.send(2);
    await tx.send(3);
    tx.drop();
    expect(await all).toEqual([1, 2, 3]);
  });

  it('consumes the local handle: every read fails with ReceiverDroppedError naming the move', async () => {
    const [tx, rx] = filled(2, [1]);
    const remote = mpsc.receiverFromPort<number>(rx.intoPort());
    const moved = 'this receiver moved into a port';
    const recvReason = await reasonOf(rx.recv());
    expect(recvReason).toBeInstanceOf(ReceiverDroppedError);
    expect((recvReason as Error).message).toBe(moved);
    expect(await reasonOf(rx.recvMany(2))).toEqual(new ReceiverDroppedError(moved));
    expect(() => rx.tryRecv()).toThrow(new ReceiverDroppedError(moved));
    expect(() => rx.intoPort()).toThrow(new ReceiverDroppedError(moved));
    let subscribeError: unknown;
    rx.subscribe({ error: (e) => (subscribeError = e) });
    expect(subscribeError).toBeInstanceOf(ReceiverDroppedError);
    expect(await reasonOf(rx[Symbol.asyncIterator]().next())).toEqual(new ReceiverDroppedError(moved));
    tx.drop();
    expect(await lastValueFrom(remote.pipe(toArray()))).toEqual([1]); // the refused reads took nothing
  });

  it('close() on the moved handle does nothing: the channel stays open and values still reach the port', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const remote = mpsc.receiverFromPort<number>(rx.intoPort());
    rx.close();
    rx[Symbol.dispose]();
    expect(tx.isClosed).toBe(false);
    expect(tx.trySend(1)).toBe(true);
    expect(await remote.recv()).toBe(1);
    remote.close(); // the handle that owns the channel now closes it
    await tx.closed();
    expect(tx.isClosed).toBe(true);
  });

  it('refuses with ReceiverBusyError while a subscriber holds the receiver, which keeps receiving', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const seen: number[] = [];
    const sub = rx.subscribe((v) => seen.push(v));
    expect(() => rx.intoPort()).toThrow(ReceiverBusyError);
    tx.trySend(1);
    expect(seen).toEqual([1]);
    sub.unsubscribe();
    tx.trySend(2);
    expect(rx.tryRecv()).toBe(2); // not moved: the handle still reads here
    tx.drop();
  });

  it('refuses with ReceiverBusyError while a recv() waits, which then gets the value', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const waiting = rx.recv();
    expect(() => rx.intoPort()).toThrow(ReceiverBusyError);
    tx.trySend(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: 1 });
    tx.trySend(2);
    expect(rx.tryRecv()).toBe(2); // not moved: the handle still reads here
    tx.drop();
  });
});

describe('Receiver subscribed with a subscriber that is already closed', () => {
  it('takes nothing: values stay buffered for the next consumer, which is not refused', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const got: number[] = [];
    const closed = new Subscriber<number>({ next: (v: number) => void got.push(v), error: () => {}, complete: () => {} });
    closed.unsubscribe();
    rx.subscribe(closed);
    expect(tx.trySend(1)).toBe(true);
    expect(got).toEqual([]);
    expect(rx.length).toBe(1);
    expect(rx.tryRecv()).toBe(1);
  });
});
