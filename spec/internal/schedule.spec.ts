/**
 * Seams of the one scheduling point (lib/internal/schedule.ts): everything the library defers
 * must run under fake timers. Jest's default fake timers and sinon's `install()` replace
 * `queueMicrotask`, `setImmediate`, `process.nextTick` and `setTimeout`, never the promise job
 * queue, so every delivery and wake-up below must happen after flushing promise jobs alone,
 * without advancing any timer. Only `select.timeout` needs the clock to move.
 */
import FakeTimers from '@sinonjs/fake-timers';
import { broadcast, mpmc, mpsc, oneshot, select, watch } from 'rxjs-channel';
import { runChild } from '../heap/child-process.js';

/** Runs queued promise jobs (and what they queue), touching no timer API a fake clock replaces. */
async function flushPromises(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Watches a promise's state without timers: read `.state` after `flushPromises()`. */
function track<T>(promise: Promise<T>): { state: string; value?: T; reason?: unknown } {
  const seen: { state: string; value?: T; reason?: unknown } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(seen, { state: 'fulfilled', value }),
    (reason: unknown) => Object.assign(seen, { state: 'rejected', reason }),
  );
  return seen;
}

interface Clock {
  install(): void;
  /** Moves the fake clock by `ms` synchronously (no promise job runs in between). */
  advance(ms: number): void;
  uninstall(): void;
}

let sinonClock: ReturnType<typeof FakeTimers.install> | undefined;
const clocks: [string, Clock][] = [
  [
    'jest.useFakeTimers()',
    {
      install: () => jest.useFakeTimers(),
      advance: (ms) => jest.advanceTimersByTime(ms),
      uninstall: () => jest.useRealTimers(),
    },
  ],
  [
    "sinon's @sinonjs/fake-timers install()",
    {
      install: () => (sinonClock = FakeTimers.install()),
      advance: (ms) => sinonClock!.tick(ms),
      uninstall: () => {
        sinonClock?.uninstall();
        sinonClock = undefined;
      },
    },
  ],
];

describe.each(clocks)('seams: deferred work runs under %s', (_name, clock) => {
  beforeEach(() => clock.install());
  afterEach(() => clock.uninstall());

  it('the fake clock replaces queueMicrotask (so these specs test what they claim)', async () => {
    let ran = false;
    queueMicrotask(() => (ran = true));
    await flushPromises();
    expect(ran).toBe(false);
  });

  it('a watch Observable delivers a change after promise jobs alone', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    let completed = false;
    rx.subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    expect(seen).toEqual([0]);
    tx.send(1);
    await flushPromises();
    expect(seen).toEqual([0, 1]);
    tx.send(2);
    tx.drop();
    await flushPromises();
    expect(seen).toEqual([0, 1, 2]);
    expect(completed).toBe(true);
  });

  it('watch changed(), a watch iterator and a watch select branch wake after promise jobs alone', async () => {
    const [tx, rx] = watch.channel(0);
    const other = rx.clone();
    const changed = track(rx.changed());
    const iterator = other[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    const next = track(iterator.next());
    const selected = track(select({ w: other.clone() }));
    await flushPromises();
    expect([changed.state, next.state, selected.state]).toEqual(['pending', 'pending', 'pending']);
    tx.send(1);
    await flushPromises();
    expect(changed.state).toBe('fulfilled');
    expect(next).toEqual({ state: 'fulfilled', value: { value: 1, done: false } });
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'w', value: 1 } });
  });

  it('a broadcast recv, iterator, Observable and select branch are served after promise jobs alone', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const viaIterator = tx.subscribe();
    const viaSelect = tx.subscribe();
    const viaObservable = tx.subscribe();
    const seen: number[] = [];
    viaObservable.subscribe((v) => seen.push(v));
    const received = track(rx.recv());
    const next = track(viaIterator[Symbol.asyncIterator]().next());
    const selected = track(select({ b: viaSelect }));
    await flushPromises();
    expect([received.state, next.state, selected.state]).toEqual(['pending', 'pending', 'pending']);
    tx.send(7);
    await flushPromises();
    expect(received).toEqual({ state: 'fulfilled', value: 7 });
    expect(next).toEqual({ state: 'fulfilled', value: { value: 7, done: false } });
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'b', value: 7 } });
    expect(seen).toEqual([7]);
  });

  it('mpsc recv, iterator, Observable and select receive branches are served after promise jobs alone', async () => {
    const [txA, rxA] = mpsc.channel<number>(2);
    const [txB, rxB] = mpsc.channel<number>(2);
    const [txC, rxC] = mpsc.channel<number>(2);
    const [txD, rxD] = mpsc.channel<number>(2);
    const received = track(rxA.recv());
    const next = track(rxB[Symbol.asyncIterator]().next());
    const selected = track(select({ c: rxC }));
    const seen: number[] = [];
    rxD.subscribe((v) => seen.push(v));
    await flushPromises();
    txA.trySend(1);
    txB.trySend(2);
    txC.trySend(3);
    txD.trySend(4);
    await flushPromises();
    expect(received).toEqual({ state: 'fulfilled', value: 1 });
    expect(next).toEqual({ state: 'fulfilled', value: { value: 2, done: false } });
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'c', value: 3 } });
    expect(seen).toEqual([4]);
  });

  it('a waiting mpsc send and a waiting select.send are served after promise jobs alone once a slot frees', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const sent = track(tx.send(1));
    const [tx2, rx2] = mpsc.channel<number>(1);
    tx2.trySend(0);
    const selected = track(select({ out: select.send(tx2, 1) }));
    await flushPromises();
    expect([sent.state, selected.state]).toEqual(['pending', 'pending']);
    expect(rx.tryRecv()).toBe(0);
    expect(rx2.tryRecv()).toBe(0);
    await flushPromises();
    expect(sent.state).toBe('fulfilled');
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(rx.tryRecv()).toBe(1);
    expect(rx2.tryRecv()).toBe(1);
  });

  it('mpmc recv and a oneshot (await, Observable, select) are served after promise jobs alone', async () => {
    const [txM, rxM] = mpmc.channel<number>(2);
    const received = track(rxM.recv());
    const [txO, rxO] = oneshot.channel<number>();
    const awaited = track(Promise.resolve(rxO));
    const seen: number[] = [];
    rxO.subscribe((v) => seen.push(v));
    const [txS, rxS] = oneshot.channel<number>();
    const selected = track(select({ o: rxS }));
    await flushPromises();
    txM.trySend(1);
    txO.send(2);
    txS.send(3);
    await flushPromises();
    expect(received).toEqual({ state: 'fulfilled', value: 1 });
    expect(awaited).toEqual({ state: 'fulfilled', value: 2 });
    expect(seen).toEqual([2]);
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'o', value: 3 } });
  });

  it('a select over several kinds wakes when any one becomes ready, after promise jobs alone', async () => {
    const [, rxM] = mpsc.channel<number>(1);
    const [, rxB] = broadcast.channel<number>(1);
    const [txW, rxW] = watch.channel(0);
    const [, rxO] = oneshot.channel<number>();
    const selected = track(select({ m: rxM, b: rxB, w: rxW, o: rxO }));
    await flushPromises();
    expect(selected.state).toBe('pending');
    txW.send(5);
    await flushPromises();
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'w', value: 5 } });
  });

  it('select.timeout is driven by the fake clock: not before its time, then after promise jobs', async () => {
    const [, rx] = mpsc.channel<number>(1);
    const selected = track(select({ msg: rx, late: select.timeout(100) }));
    await flushPromises();
    clock.advance(99);
    await flushPromises();
    expect(selected.state).toBe('pending');
    clock.advance(1);
    await flushPromises();
    expect(selected).toEqual({ state: 'fulfilled', value: { key: 'late', value: undefined } });
  });
});

interface ThrowingRun {
  results: {
    mpsc: { seen: number[]; rest: number[]; threw: unknown[] };
    mpmc: { seen: number[]; others: number[]; rest: number[]; threw: unknown[] };
    broadcast: { seen: number[]; others: number[]; rest: number[]; threw: unknown[] };
    watch: { seen: number[]; others: number[]; threw: unknown[]; borrowed: number };
    oneshot: { seen: number[]; others: number[]; completed: boolean; sent: boolean; threw: unknown[]; awaited: number };
  };
  unhandled: string[];
  uncaught: string[];
}

describe('seams: a subscriber whose next throws (raw Subscriber, in a plain Node process)', () => {
  // Run once: a child process, where an unhandledRejection listener sees what a user's would.
  let run: ThrowingRun;
  beforeAll(() => {
    run = runChild<ThrowingRun>('spec/internal/support/throwing-subscriber-child.mjs');
  });

  it('causes no unhandled rejection on any kind (the control rejection is seen, so the listener works)', () => {
    expect(run.unhandled).toEqual(['control']);
  });

  it('mpsc: no producer call fails, and no value is lost beyond the one delivered', () => {
    const { seen, rest, threw } = run.results.mpsc;
    expect(threw).toEqual([]);
    expect([...seen, ...rest]).toEqual([1, 2, 3]);
  });

  it('mpmc: no producer call fails, and every value reaches exactly one consumer', () => {
    const { seen, others, rest, threw } = run.results.mpmc;
    expect(threw).toEqual([]);
    expect([...seen, ...others, ...rest].sort()).toEqual([1, 2, 3, 4]);
  });

  it('broadcast: no send fails, the other receiver gets every value, and the throwing one loses none of its own', () => {
    const { seen, others, rest, threw } = run.results.broadcast;
    expect(threw).toEqual([]);
    expect(others).toEqual([1, 2, 3]);
    expect([...seen, ...rest]).toEqual([1, 2, 3]);
  });

  it('watch: the other subscriber still gets every version', () => {
    const { others, threw, borrowed } = run.results.watch;
    expect(threw).toEqual([]);
    expect(others).toEqual([0, 1, 2]);
    expect(borrowed).toBe(2);
  });

  it('oneshot: the other subscriber still gets the value and completes; send reports success', () => {
    const { others, completed, sent, threw, awaited } = run.results.oneshot;
    expect(threw).toEqual([]);
    expect(sent).toBe(true);
    expect(others).toEqual([5]);
    expect(completed).toBe(true);
    expect(awaited).toBe(5);
  });
});
