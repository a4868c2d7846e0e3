import FakeTimers from '@sinonjs/fake-timers';
import { mpsc, watch, select } from 'rxjs-channel';
import { flush, inspect, isPending } from 'rxjs-channel/testing';

const HOOK = Symbol.for('rxjs-channel.scheduleHook');

/** A consumer that records what it received, one value per loop turn. */
function consume<T>(rx: mpsc.Receiver<T>): T[] {
  const seen: T[] = [];
  void (async () => {
    for await (const v of rx) seen.push(v);
  })();
  return seen;
}

describe('flush', () => {
  it('settles hand-offs and the continuations they start, several hops deep', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const [tx2, rx2] = mpsc.channel<number>(1);
    void (async () => {
      for await (const n of rx) await tx2.send(n * 10); // a relay: each value takes two hand-offs
    })();
    const seen = consume(rx2);
    for (const n of [1, 2, 3]) void tx.send(n);
    expect(seen).toEqual([]);
    await flush();
    expect(seen).toEqual([10, 20, 30]);
  });

  it('runs the library\'s scheduled jobs: watch deliveries to a subscriber', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    rx.subscribe((v) => seen.push(v));
    tx.send(1);
    tx.send(2);
    expect(seen).toEqual([0]); // delivery waits for a promise job
    await flush();
    expect(seen).toEqual([0, 2]);
  });

  it('runs a select woken by a send', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    let got: unknown;
    void select({ n: rx }).then((r) => (got = r));
    await flush();
    expect(got).toBeUndefined();
    tx.trySend(5);
    await flush();
    expect(got).toEqual({ key: 'n', value: 5 });
  });

  it('works under jest\'s modern fake timers', async () => {
    jest.useFakeTimers();
    try {
      const [tx, rx] = watch.channel('a');
      const seen: string[] = [];
      rx.subscribe((v) => seen.push(v));
      tx.send('b');
      const [mtx, mrx] = mpsc.channel<number>(1);
      const got = consume(mrx);
      await mtx.send(1);
      await mtx.send(2);
      await flush();
      expect(seen).toEqual(['a', 'b']);
      expect(got).toEqual([1, 2]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('works under sinon\'s fake timers, and a timed-out wait after the clock is advanced', async () => {
    const clock = FakeTimers.install();
    try {
      const [tx, rx] = mpsc.channel<number>(1);
      const got = consume(rx);
      await tx.send(1);
      await flush();
      expect(got).toEqual([1]);
      const [, rx2] = mpsc.channel<number>(1);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('timed out')), 100); // the faked setTimeout
      const timed = rx2.recv({ signal: controller.signal });
      expect(await isPending(timed)).toBe(true);
      await clock.tickAsync(100);
      await flush();
      expect(await isPending(timed)).toBe(false);
      await expect(timed).rejects.toThrow('timed out');
    } finally {
      clock.uninstall();
    }
  });

  it('leaves no hook installed behind, also after concurrent flushes', async () => {
    await Promise.all([flush(), flush()]);
    expect((globalThis as Record<symbol, Record<symbol, unknown> | undefined>)[Symbol.for('rxjs-channel.scheduleHookSlot')]?.[HOOK]).toBeUndefined();
  });

  it('rejects when the library keeps scheduling for ever', async () => {
    const [tx, rx] = watch.channel(0);
    // A subscriber that sends again from each delivery: a new delivery every promise job.
    const sub = rx.subscribe((v) => tx.send(v + 1));
    await expect(flush()).rejects.toThrow(/still scheduling work after 100000 promise jobs/);
    sub.unsubscribe();
  });
});

describe('isPending', () => {
  it('tells a blocked send from one that went through', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    expect(await isPending(tx.send(1))).toBe(false);
    const blocked = tx.send(2);
    expect(await isPending(blocked)).toBe(true);
    expect(inspect(tx).pendingSends).toBe(1);
    await rx.recv();
    expect(await isPending(blocked)).toBe(false);
  });

  it('reports a rejected promise as settled, without an unhandled rejection', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const refused = tx.send(2);
    rx.close();
    expect(await isPending(refused)).toBe(false);
    await expect(refused).rejects.toMatchObject({ name: 'SendError', value: 2 });
  });

  it.each([undefined, 1, { then: 1 }])('rejects TypeError showing %p, which is not a promise', async (value) => {
    await expect(isPending(value as never)).rejects.toThrow(/Expected `promise` to be a promise, got `/);
  });
});
