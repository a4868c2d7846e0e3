import { firstValueFrom, lastValueFrom, map, Subscriber, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { oneshot, ChannelError, RecvError } from 'rxjs-channel';
import { expectTypeOf } from 'expect-type';
import { flush, stateOf } from '../helpers.js';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

// Ported from tokio/tests/sync_oneshot.rs (behaviours, adapted to this API), plus the
// Observable, async-iterator and thenable sides.
describe('oneshot.Receiver', () => {
  describe('as a PromiseLike', () => {
    it('is typed PromiseLike<T>: `await rx` gives T', async () => {
      const [tx, rx] = oneshot.channel<number>();
      expectTypeOf(rx).toMatchTypeOf<PromiseLike<number>>();
      tx.send(1);
      const value = await rx;
      expectTypeOf(value).toEqualTypeOf<number>();
      expect(value).toBe(1);
    });

    it('settles once and remembers: every await sees the same value (receiver_changes_task)', async () => {
      const [tx, rx] = oneshot.channel<object>();
      const first = Promise.resolve(rx);
      const second = Promise.resolve(rx);
      const payload = { id: 1 };
      tx.send(payload);
      expect(await first).toBe(payload);
      expect(await second).toBe(payload);
      expect(await rx).toBe(payload);
    });

    it('rejects with a RecvError that is a ChannelError', async () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.drop();
      const error = await rx.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RecvError);
      expect(error).toBeInstanceOf(ChannelError);
      expect((error as RecvError).name).toBe('RecvError');
    });

    it('passes then() callbacks through like a promise', async () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.send(2);
      expect(await rx.then((n) => n * 10)).toBe(20);
      expect(await rx.then()).toBe(2);
    });

    it('gotcha: returning the receiver from an async function waits for its value', async () => {
      const [tx, rx] = oneshot.channel<number>();
      const passed = (async () => rx)();
      expect(await stateOf(passed)).toEqual({ state: 'pending' });
      tx.send(9);
      expect(await passed).toBe(9);
    });
  });

  describe('tryRecv', () => {
    it('is undefined until the value is sent, then the value (explicit_close_try_recv)', () => {
      const [tx, rx] = oneshot.channel<number>();
      expect(rx.tryRecv()).toBeUndefined();
      tx.send(17);
      expect(rx.tryRecv()).toBe(17);
    });

    it('keeps returning the value after it was read (try_recv_after_completion)', async () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.send(17);
      expect(await rx).toBe(17);
      expect(rx.tryRecv()).toBe(17);
      expect(rx.tryRecv()).toBe(17);
    });

    it('is undefined when the sender was dropped; isClosed tells it will stay so', () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.drop();
      expect(rx.tryRecv()).toBeUndefined();
      expect(rx.isClosed).toBe(true);
    });
  });

  describe('close', () => {
    it('keeps a value sent before closing receivable (explicit_close_poll)', async () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.send(1);
      rx.close();
      expect(rx.tryRecv()).toBe(1);
      expect(await rx).toBe(1);
    });

    it('without a value: the sender sees the close and the receiver fails (explicit_close_poll)', async () => {
      const [tx, rx] = oneshot.channel<number>();
      const closed = tx.closed();
      rx.close();
      expect(tx.isClosed).toBe(true);
      expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
      expect(tx.send(1)).toBe(false);
      await expect(rx).rejects.toThrow(/closed before a value arrived/);
      expect(rx.tryRecv()).toBeUndefined();
    });

    it('fails an await that was already pending', async () => {
      const [, rx] = oneshot.channel<number>();
      const pending = Promise.resolve(rx);
      rx.close();
      await expect(pending).rejects.toBeInstanceOf(RecvError);
    });

    it('is idempotent, and harmless after the value was read (close_after_recv)', async () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.send(17);
      expect(await rx).toBe(17);
      rx.close();
      rx.close();
      expect(await rx).toBe(17);
    });
  });

  describe('isClosed', () => {
    it('turns true once the value is sent (receiver_is_closed_send)', () => {
      const [tx, rx] = oneshot.channel<number>();
      expect(rx.isClosed).toBe(false);
      tx.send(17);
      expect(rx.isClosed).toBe(true);
    });

    it('turns true once the sender is dropped (receiver_is_closed_drop)', () => {
      const [tx, rx] = oneshot.channel<number>();
      expect(rx.isClosed).toBe(false);
      tx.drop();
      expect(rx.isClosed).toBe(true);
    });

    it('turns true on close (receiver_is_closed_rx_close)', () => {
      const [, rx] = oneshot.channel<number>();
      rx.close();
      expect(rx.isClosed).toBe(true);
    });
  });

  describe('as an Observable', () => {
    it('emits the value once and completes (marbles)', () => {
      marbles().run(({ cold, expectObservable }) => {
        const [tx, rx] = oneshot.channel<string>();
        cold('--a|').subscribe((v) => tx.send(v));
        expectObservable(rx).toBe('--(a|)');
      });
    });

    it('errors with RecvError when the sender is dropped (marbles)', () => {
      marbles().run(({ cold, expectObservable }) => {
        const [tx, rx] = oneshot.channel<string>();
        cold('---|').subscribe({ complete: () => tx.drop() });
        expectObservable(rx).toBe('---#', undefined, new RecvError('the oneshot sender was dropped without sending'));
      });
    });

    it('emits synchronously inside send to a subscriber that is waiting', () => {
      const [tx, rx] = oneshot.channel<number>();
      const seen: string[] = [];
      rx.subscribe({ next: (v) => seen.push(`next ${v}`), complete: () => seen.push('complete') });
      expect(seen).toEqual([]);
      tx.send(4);
      expect(seen).toEqual(['next 4', 'complete']);
    });

    it('replays the settled value to every subscriber, like a promise', async () => {
      const [tx, rx] = oneshot.channel<number>();
      tx.send(3);
      expect(await lastValueFrom(rx.pipe(map((n) => n + 1)))).toBe(4);
      expect(await firstValueFrom(rx)).toBe(3);
    });

    it('an unsubscribed subscriber gets nothing; the value stays for others', async () => {
      const [tx, rx] = oneshot.channel<number>();
      const seen: number[] = [];
      const sub = rx.subscribe((v) => seen.push(v));
      sub.unsubscribe();
      tx.send(1);
      expect(seen).toEqual([]);
      expect(await rx).toBe(1);
    });

    it('errors a subscriber that arrives after a close without a value', async () => {
      const [, rx] = oneshot.channel<number>();
      rx.close();
      await expect(lastValueFrom(rx)).rejects.toBeInstanceOf(RecvError);
    });
  });

  describe('as an async iterable', () => {
    it('yields the one value, then ends', async () => {
      const [tx, rx] = oneshot.channel<string>();
      setTimeout(() => tx.send('v'));
      const seen: string[] = [];
      for await (const v of rx) seen.push(v);
      expect(seen).toEqual(['v']);
    });

    it('throws RecvError when the sender is dropped', async () => {
      const [tx, rx] = oneshot.channel<string>();
      tx.drop();
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const v of rx) seen.push(v);
        })(),
      ).rejects.toBeInstanceOf(RecvError);
      expect(seen).toEqual([]);
    });
  });

  it('a dropped sender with nobody awaiting causes no unhandled rejection', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const [tx, rx] = oneshot.channel<number>();
      rx.subscribe({ error: () => {} });
      tx.drop();
      await flush();
      await flush();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('works with lastValueFrom over a pipeline', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(1);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1]);
  });
});

describe('seams: return() while a next() is pending', () => {
  it('settles the pending next() and return() itself as done at once; the value sent later stays receivable', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const iterator = rx[Symbol.asyncIterator]();
    const pending = iterator.next();
    expect(await stateOf(pending)).toEqual({ state: 'pending' });
    const returned = iterator.return!();
    expect(await stateOf(returned)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    expect(await stateOf(pending)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    tx.send(1);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(await rx).toBe(1);
    expect(await rx[Symbol.asyncIterator]().next()).toEqual({ value: 1, done: false });
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

  it('closing the receiver in its next (delivered during subscribe) still completes it; the value stays readable', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(1);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => rx.close(), events));
    expect(seen).toEqual([1]);
    expect(events).toEqual(['complete']);
    expect(await rx).toBe(1);
  });

  it('unsubscribing in its next: no complete for it, and the other subscribers still get the value and complete', () => {
    const [tx, rx] = oneshot.channel<number>();
    const a: number[] = [];
    const b: number[] = [];
    const eventsA: string[] = [];
    const eventsB: string[] = [];
    rx.subscribe(raw(a, (_v, self) => self.unsubscribe(), eventsA));
    rx.subscribe(raw(b, () => {}, eventsB));
    tx.send(1);
    expect([a, eventsA]).toEqual([[1], []]);
    expect([b, eventsB]).toEqual([[1], ['complete']]);
  });

  it('subscribing again from inside its next gets the same value, as a subscribe from outside would', () => {
    const [tx, rx] = oneshot.channel<number>();
    const inner: number[] = [];
    const seen: number[] = [];
    rx.subscribe(raw(seen, () => void rx.subscribe((v) => inner.push(v))));
    tx.send(1);
    expect(seen).toEqual([1]);
    expect(inner).toEqual([1]);
  });

  it('a subscriber that unsubscribes a later one inside its next: that one gets nothing', () => {
    const [tx, rx] = oneshot.channel<number>();
    const a: number[] = [];
    const b: number[] = [];
    const subB = raw(b, () => {});
    rx.subscribe(raw(a, () => subB.unsubscribe()));
    rx.subscribe(subB);
    tx.send(1);
    expect(a).toEqual([1]);
    expect(b).toEqual([]);
  });
});
