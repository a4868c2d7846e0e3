import fc from 'fast-check';
import { getEventListeners } from 'node:events';
import { firstValueFrom, lastValueFrom, mergeMap, of, range, Subject, take, tap, toArray, type Observable } from 'rxjs';
import { backpressure, ChannelOverflowError, mergeMapBounded, mpmc, mpsc, oneshot, ReceiverBusyError, toChannel } from 'rxjs-channel';
import { flush, propertyRuns } from '../helpers.js';
import { countingSource, deferred, endless, filled, marbles, unhandledRejectionsDuring, type Deferred } from './support.js';

const overflowOf = <T>(value: T): ChannelOverflowError<T> =>
  new ChannelOverflowError(value, 'a value from the source did not fit in the buffer');

describe('mergeMapBounded over an Observable source: a bounded buffer', () => {
  it('marbles: behaves as mergeMap with the same concurrency while nothing overflows', () => {
    marbles().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-d-e|');
      const project = (v: string, i: number) => cold(i % 2 === 0 ? '---(v|)' : '-----(v|)', { v });
      const expected = source.pipe(mergeMap(project, 2));
      expectObservable(source.pipe(mergeMapBounded(project, { concurrency: 2 }))).toEqual(expected);
    });
  });

  it('marbles: runs at most `concurrency` inner Observables, taking waiting values in order', () => {
    marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners = { a: cold('----(a|)'), b: cold('----(b|)'), c: cold('----(c|)') };
      const source: Observable<'a' | 'b' | 'c'> = cold('(abc|)');
      const result = source.pipe(mergeMapBounded((v) => inners[v], { concurrency: 2 }));
      expectObservable(result).toBe('----(ab)(c|)');
      expectSubscriptions(inners.c.subscriptions).toBe('----^---!');
    });
  });

  it('marbles: passes the index of each value to project', () => {
    marbles().run(({ cold, expectObservable }) => {
      const result = cold('abc|').pipe(mergeMapBounded((v: string, i) => of(`${v}${i}`), { concurrency: 1 }));
      expectObservable(result).toBe('xyz|', { x: 'a0', y: 'b1', z: 'c2' });
    });
  });

  it.each([
    ["'error' (default): the overflow reaches the subscriber at once", undefined, '---#', [], '^--!'],
    ["'dropOldest'", 'dropOldest', '---a--c--e--(f|)', ['b', 'd'], '^-----!'],
    ["'dropNewest'", 'dropNewest', '---a--b--c--(e|)', ['d', 'f'], '^-----!'],
  ] as const)('marbles: %s', (_name, overflow, expected, droppedExpected, subs) => {
    const dropped: string[] = [];
    marbles().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('abcdef|');
      const result = source.pipe(
        mergeMapBounded((v: string) => cold('---(v|)', { v }), {
          concurrency: 1,
          capacity: 2,
          overflow,
          onDrop: (v) => dropped.push(v),
        }),
      );
      expectObservable(result).toBe(expected, undefined, overflowOf('d'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(dropped).toEqual(droppedExpected);
  });

  it('marbles: a source error reaches the subscriber at once, as with mergeMap', () => {
    marbles().run(({ hot, cold, expectObservable }) => {
      const result = hot('ab#').pipe(mergeMapBounded((v: string) => cold('-----(v|)', { v }), { concurrency: 1 }));
      expectObservable(result).toBe('--#');
    });
  });

  it('marbles: an inner error, or a project that throws, reaches the subscriber', () => {
    marbles().run(({ cold, expectObservable }) => {
      expectObservable(cold('ab|').pipe(mergeMapBounded(() => cold('-#'), { concurrency: 1 }))).toBe('-#');
      const boom = new Error('boom');
      const throwing = cold('ab|').pipe(
        mergeMapBounded(
          (v: string) => {
            if (v === 'b') throw boom;
            return cold('--(v|)', { v });
          },
          { concurrency: 2 },
        ),
      );
      expectObservable(throwing).toBe('-#', undefined, boom);
    });
  });

  it('marbles: unsubscribing releases the source and every inner subscription', () => {
    marbles().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('abc');
      const inner = cold('----(x|)');
      expectObservable(source.pipe(mergeMapBounded(() => inner, { concurrency: 2 })), '^-!').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^-!');
      expectSubscriptions(inner.subscriptions).toBe(['^-!', '-^!']);
    });
  });

  it('hands a synchronous source straight to a synchronous project: nothing waits, nothing overflows', () => {
    const seen: number[] = [];
    const source = of(...Array.from({ length: 100 }, (_, i) => i));
    source.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1, capacity: 1 })).subscribe((v) => seen.push(v));
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('buffers 16 values by default: the 17th waiting value overflows', () => {
    const source = new Subject<number>();
    let failure: unknown;
    source.pipe(mergeMapBounded(() => new Subject<never>(), { concurrency: 1 })).subscribe({ error: (e) => (failure = e) });
    for (let i = 0; i <= 16; i++) source.next(i); // 0 runs, 1..16 wait
    expect(failure).toBeUndefined();
    source.next(17);
    expect(failure).toEqual(overflowOf(17));
    expect(source.observed).toBe(false);
  });

  it("throws a RangeError that says why when 'wait' is asked for an Observable source", () => {
    expect(() => of(1).pipe(mergeMapBounded((v) => of(v), { concurrency: 1, overflow: 'wait' }))).toThrow(
      /cannot be made to wait/,
    );
  });
});

describe('mergeMapBounded over a Receiver: values are taken only when a slot is free', () => {
  it('takes the next value from the receiver as each inner Observable completes, and no sooner', async () => {
    const [tx, rx] = mpsc.channel<string>(8);
    for (const v of 'abcd') tx.trySend(v);
    tx.drop();
    const inners = new Map<string, Subject<string>>();
    const seen: string[] = [];
    let completed = false;
    rx.pipe(
      mergeMapBounded(
        (v: string) => {
          const inner = new Subject<string>();
          inners.set(v, inner);
          return inner;
        },
        { concurrency: 1 },
      ),
    ).subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    for (const v of 'abcd') {
      await flush();
      expect([...inners.keys()].join('')).toBe('abcd'.slice(0, 'abcd'.indexOf(v) + 1));
      expect(rx.length).toBe(3 - 'abcd'.indexOf(v));
      inners.get(v)!.next(v);
      inners.get(v)!.complete();
    }
    await flush();
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(completed).toBe(true);
  });

  it('leaves values beyond the free slots in the receiver, which stays held meanwhile', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    for (let i = 1; i <= 5; i++) tx.trySend(i);
    const work: Deferred<number>[] = [];
    rx.pipe(
      mergeMapBounded(
        () => {
          const d = deferred<number>();
          work.push(d);
          return d.promise;
        },
        { concurrency: 2 },
      ),
    ).subscribe();
    await flush();
    expect(work).toHaveLength(2);
    expect(rx.length).toBe(3);
    await expect(rx.recv()).rejects.toBeInstanceOf(ReceiverBusyError);
    work[0].resolve(0);
    await flush();
    expect(work).toHaveLength(3);
    expect(rx.length).toBe(2);
  });

  it('gives the receiver back on unsubscribe with every value not yet taken', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    for (let i = 1; i <= 5; i++) tx.trySend(i);
    tx.drop();
    const taken: number[] = [];
    const subscription = rx
      .pipe(
        mergeMapBounded(
          (v: number) => {
            taken.push(v);
            return deferred<number>().promise;
          },
          { concurrency: 2 },
        ),
      )
      .subscribe();
    await flush();
    subscription.unsubscribe();
    expect(taken).toEqual([1, 2]);
    expect(await rx.recv()).toBe(3);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([4, 5]);
  });

  it('completes once the receiver has ended and every inner has completed', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const out = lastValueFrom(rx.pipe(mergeMapBounded(async (v: number) => v * 10, { concurrency: 2 }), toArray()));
    for (const n of [1, 2, 3, 4]) await tx.send(n);
    tx.drop();
    expect((await out).sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
  });

  it('reports ReceiverBusyError when another consumer holds the receiver', async () => {
    const [, rx] = mpsc.channel<number>(2);
    rx.subscribe();
    const result = lastValueFrom(rx.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 })));
    await expect(result).rejects.toBeInstanceOf(ReceiverBusyError);
  });

  it('fails with the error of the channel once the values before it are processed', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const boom = new Error('boom');
    tx.trySend(1);
    tx.trySend(2);
    tx.error(boom);
    const seen: number[] = [];
    const failure = new Promise((resolve) =>
      rx.pipe(mergeMapBounded((v: number) => of(v * 10), { concurrency: 1 })).subscribe({
        next: (v) => seen.push(v),
        error: resolve,
      }),
    );
    expect(await failure).toBe(boom);
    expect(seen).toEqual([10, 20]);
  });
});

/**
 * The end-to-end property: a producer `await tx.send(i)` in a loop feeding
 * `rx.pipe(mergeMapBounded(slowAsync, { concurrency }))` is never more than
 * `capacity + concurrency` values ahead of what `slowAsync` finished.
 */
async function runPipeline(
  capacity: number,
  concurrency: number,
  total: number,
  pick: (pending: number) => number,
  build: (rx: mpsc.Receiver<number>, slow: (v: number) => Promise<number>) => Observable<number>,
  bound: number,
): Promise<{ maxAhead: number; output: number[]; sent: number }> {
  const [tx, rx] = mpsc.channel<number>(capacity);
  let sent = 0;
  let finished = 0;
  let maxAhead = 0;
  const pending: { value: number; done: Deferred<void> }[] = [];
  const slow = async (value: number): Promise<number> => {
    const done = deferred<void>();
    pending.push({ value, done });
    await done.promise;
    finished++;
    return value;
  };
  const output: number[] = [];
  const completed = new Promise<void>((resolve, reject) =>
    build(rx, slow).subscribe({ next: (v) => output.push(v), error: reject, complete: resolve }),
  );
  const producing = (async () => {
    for (let i = 0; i < total; i++) {
      await tx.send(i);
      sent++;
      maxAhead = Math.max(maxAhead, sent - finished);
    }
    tx.drop();
  })();
  for (;;) {
    await flush();
    expect(sent - finished).toBeLessThanOrEqual(bound);
    if (pending.length === 0) break;
    const [job] = pending.splice(pick(pending.length) % pending.length, 1);
    job.done.resolve();
  }
  await producing;
  await completed;
  return { maxAhead, output, sent };
}

describe('end-to-end backpressure', () => {
  it('a producer loop is never more than capacity + concurrency values ahead of what slowAsync finished', async () => {
    const capacity = 3;
    const concurrency = 2;
    const total = 40;
    const { maxAhead, output } = await runPipeline(
      capacity,
      concurrency,
      total,
      () => 0,
      (rx, slow) => rx.pipe(mergeMapBounded(slow, { concurrency })),
      capacity + concurrency,
    );
    // The bound is reached (the producer really runs ahead that far) and never exceeded.
    expect(maxAhead).toBe(capacity + concurrency);
    expect(output).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('holds for any capacity, concurrency and completion order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        async (capacity, concurrency, choices) => {
          let k = 0;
          const total = 20;
          const { maxAhead, output } = await runPipeline(
            capacity,
            concurrency,
            total,
            () => choices[k++ % choices.length],
            (rx, slow) => rx.pipe(mergeMapBounded(slow, { concurrency })),
            capacity + concurrency,
          );
          expect(maxAhead).toBeLessThanOrEqual(capacity + concurrency);
          expect([...output].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
        },
      ),
      { numRuns: propertyRuns(60) },
    );
  });

  it('reaches through every stage: producer -> channel -> backpressure -> mergeMapBounded, the stage reading nothing ahead', async () => {
    const capacity = 2;
    const stage = 3;
    const concurrency = 2;
    const { maxAhead, output } = await runPipeline(
      capacity,
      concurrency,
      30,
      () => 0,
      (rx, slow) => rx.pipe(backpressure(stage), mergeMapBounded(slow, { concurrency })),
      capacity + concurrency,
    );
    // Over a receiver the stage holds nothing of its own: the bound is the channel's and the slots'.
    expect(maxAhead).toBe(capacity + concurrency);
    expect(output).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('reaches through toChannel over an async generator: the generator is not read ahead', async () => {
    let read = 0;
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 0; i < 10; i++) {
        read++;
        yield i;
      }
    }
    const work: Deferred<void>[] = [];
    let finished = 0;
    const out = lastValueFrom(
      toChannel(numbers(), 2).pipe(
        mergeMapBounded(
          async (v: number) => {
            const d = deferred<void>();
            work.push(d);
            await d.promise;
            finished++;
            return v;
          },
          { concurrency: 3 },
        ),
        toArray(),
      ),
    );
    for (let i = 0; i < 10; i++) {
      await flush();
      expect(read - finished).toBeLessThanOrEqual(2 + 3);
      work[i].resolve();
    }
    expect((await out).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('mergeMapBounded: argument checks', () => {
  it('throws TypeError showing a project that is not a function', () => {
    expect(() => mergeMapBounded(5 as never, { concurrency: 1 })).toThrow('Expected `project` to be a function, got `5` (number)');
  });

  it('throws TypeError when the options (with concurrency) are missing', () => {
    expect(() => mergeMapBounded((v) => of(v), undefined as never)).toThrow(TypeError);
  });

  it.each([0, 1.5, Infinity])('throws RangeError showing a bad concurrency %p', (concurrency) => {
    expect(() => mergeMapBounded((v) => of(v), { concurrency })).toThrow(RangeError);
    expect(() => mergeMapBounded((v) => of(v), { concurrency })).toThrow(`\`concurrency\` to be an integer >= 1, got \`${concurrency}\``);
  });

  it('throws RangeError showing a bad capacity', () => {
    expect(() => mergeMapBounded((v) => of(v), { concurrency: 1, capacity: 0 })).toThrow('`capacity` to be an integer >= 1, got `0`');
  });

  it('the source Subject is not subscribed before the result is', () => {
    const source = new Subject<number>();
    const result = source.pipe(mergeMapBounded((v) => of(v), { concurrency: 1 }));
    expect(source.observed).toBe(false);
    result.subscribe().unsubscribe();
    expect(source.observed).toBe(false);
  });
});

describe('mergeMapBounded: a synchronous unsubscribe during the first delivery', () => {
  const counted = () => {
    const calls: number[] = [];
    const project = (v: number) => {
      calls.push(v);
      return of(v * 10);
    };
    return { calls, project };
  };

  it('over a Receiver: take(1) with 5 buffered values calls project once and leaves the other 4 in the receiver', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const { calls, project } = counted();
    expect(await lastValueFrom(rx.pipe(mergeMapBounded(project, { concurrency: 1 }), take(1)))).toBe(10);
    await flush();
    expect(calls).toEqual([1]);
    expect(rx.length).toBe(4);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4, 5]);
  });

  it('over a Receiver: take(1) with concurrency 3 still calls project once', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const { calls, project } = counted();
    expect(await lastValueFrom(rx.pipe(mergeMapBounded(project, { concurrency: 3 }), take(1)))).toBe(10);
    await flush();
    expect(calls).toEqual([1]);
    expect(rx.length).toBe(4);
  });

  it('over a Receiver: firstValueFrom calls project once and the rest stay receivable', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const { calls, project } = counted();
    expect(await firstValueFrom(rx.pipe(mergeMapBounded(project, { concurrency: 1 })))).toBe(10);
    await flush();
    expect(calls).toEqual([1]);
    expect(await rx.recv()).toBe(2);
  });

  it('over a Receiver: a project that throws on the first value is called once and the other 4 stay in the receiver', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const boom = new Error('boom');
    const calls: number[] = [];
    const failing = (v: number): Observable<number> => {
      calls.push(v);
      throw boom;
    };
    await expect(lastValueFrom(rx.pipe(mergeMapBounded(failing, { concurrency: 2 })))).rejects.toBe(boom);
    await flush();
    expect(calls).toEqual([1]);
    expect(rx.length).toBe(4);
    expect(await rx.recv()).toBe(2); // released, not busy
  });

  it('over a Receiver: an async project that rejects releases the receiver with the values not taken', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const boom = new Error('boom');
    const calls: number[] = [];
    const failing = async (v: number): Promise<number> => {
      calls.push(v);
      throw boom;
    };
    await expect(lastValueFrom(rx.pipe(mergeMapBounded(failing, { concurrency: 1 })))).rejects.toBe(boom);
    await flush();
    expect(calls).toEqual([1]);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4, 5]);
  });

  it('over an Observable: take(1) makes range(0, 1e5) produce one value and calls project once', () => {
    let produced = 0;
    const { calls, project } = counted();
    const seen: number[] = [];
    range(0, 100_000)
      .pipe(
        tap(() => produced++),
        mergeMapBounded(project, { concurrency: 1 }),
        take(1),
      )
      .subscribe((v) => seen.push(v));
    expect(seen).toEqual([0]);
    expect(calls).toEqual([0]);
    expect(produced).toBe(1);
  });

  it('over an Observable: firstValueFrom and a throwing project stop the source at the first value', async () => {
    let produced = 0;
    const { calls, project } = counted();
    expect(await firstValueFrom(range(0, 1000).pipe(tap(() => produced++), mergeMapBounded(project, { concurrency: 2 })))).toBe(0);
    expect(calls).toEqual([0]);
    expect(produced).toBe(1);
    produced = 0;
    const boom = new Error('boom');
    await expect(
      lastValueFrom(
        range(0, 1000).pipe(
          tap(() => produced++),
          mergeMapBounded(() => {
            throw boom;
          }, { concurrency: 2 }),
        ),
      ),
    ).rejects.toBe(boom);
    expect(produced).toBe(1);
  });

  it('marbles: take(1) over a synchronous cold source unsubscribes it and the inner in the first frame', () => {
    marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('(abc|)');
      const inner = cold('(x|)');
      expectObservable(source.pipe(mergeMapBounded(() => inner, { concurrency: 1 }), take(1))).toBe('(x|)');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
      expectSubscriptions(inner.subscriptions).toBe('(^!)');
    });
  });

  it.each(['dropOldest', 'dropNewest', 'error'] as const)(
    "an endless synchronous source under '%s' stops as soon as the destination is closed",
    (overflow) => {
      const source = endless();
      const seen: number[] = [];
      source.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1, capacity: 2, overflow }), take(3)).subscribe((v) => seen.push(v));
      expect(seen).toEqual([0, 1, 2]);
      expect(source.emitted).toBe(3);
    },
  );
});

describe('mergeMapBounded: callbacks that throw', () => {
  it('an onDrop that throws fails the output at once and unsubscribes the source', () => {
    const boom = new Error('onDrop failed');
    marbles().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('abcd|');
      const result = source.pipe(
        mergeMapBounded((v: string) => cold('---(v|)', { v }), {
          concurrency: 1,
          capacity: 1,
          overflow: 'dropNewest',
          onDrop: () => {
            throw boom;
          },
        }),
      );
      expectObservable(result).toBe('--#', undefined, boom);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('a rejecting async project reaches the subscriber as an error, never as an unhandled rejection', async () => {
    const boom = new Error('boom');
    let failure: unknown;
    const unhandled = await unhandledRejectionsDuring(async () => {
      const [, rx] = filled([1, 2, 3]);
      rx.pipe(
        mergeMapBounded(async () => {
          throw boom;
        }, { concurrency: 3 }),
      ).subscribe({ error: (e: unknown) => (failure = e) });
      await flush();
    });
    expect(failure).toBe(boom);
    expect(unhandled).toEqual([]);
  });
});

describe('mergeMapBounded: signal', () => {
  it('aborting unsubscribes the running inners, completes the output, and leaves the receiver the values not taken', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const stop = new AbortController();
    const inners: Subject<number>[] = [];
    let completed = false;
    rx.pipe(
      mergeMapBounded(
        () => {
          const inner = new Subject<number>();
          inners.push(inner);
          return inner;
        },
        { concurrency: 2, signal: stop.signal },
      ),
    ).subscribe({ complete: () => (completed = true) });
    await flush();
    expect(inners).toHaveLength(2);
    stop.abort();
    expect(completed).toBe(true);
    expect(inners.map((s) => s.observed)).toEqual([false, false]);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([3, 4, 5]);
  });

  it('over an Observable: aborting unsubscribes the source and completes', () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    let completed = false;
    source.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1, signal: stop.signal })).subscribe({ complete: () => (completed = true) });
    expect(source.observed).toBe(true);
    stop.abort();
    expect(source.observed).toBe(false);
    expect(completed).toBe(true);
  });

  it('an already aborted signal completes at once without reading the receiver', async () => {
    const [, rx] = filled([1, 2]);
    let completed = false;
    rx.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1, signal: AbortSignal.abort() })).subscribe({
      complete: () => (completed = true),
    });
    expect(completed).toBe(true);
    expect(await rx.recv()).toBe(1);
  });

  it('throws a TypeError showing a signal that is not an AbortSignal, when called', () => {
    expect(() => mergeMapBounded((v) => of(v), { concurrency: 1, signal: {} as never })).toThrow(
      'Expected `signal` to be an AbortSignal, got `{}` (object)',
    );
  });
});

describe('mergeMapBounded over other receiver kinds', () => {
  it('reads an mpmc receiver on demand and leaves what it did not take', async () => {
    const [tx, rx] = mpmc.channel<number>(8);
    for (const n of [1, 2, 3, 4, 5]) tx.trySend(n);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(mergeMapBounded(async (v: number) => v * 10, { concurrency: 1 }), take(1)))).toBe(10);
    await flush();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4, 5]);
  });

  it('reads a oneshot receiver as one value', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(4);
    expect(await lastValueFrom(rx.pipe(mergeMapBounded(async (v: number) => v * 10, { concurrency: 2 }), toArray()))).toEqual([40]);
  });
});

describe('mergeMapBounded over a Receiver: value accounting when the output stops early (property)', () => {
  /** Runs `take(k)` (or a failure at value `failAt`) over 12 buffered values; returns what was projected and what is left. */
  async function stopEarly(concurrency: number, k: number, failAt: number, delays: number[]): Promise<{ projected: number[]; rest: number[] }> {
    const values = Array.from({ length: 12 }, (_, i) => i);
    const [, rx] = filled(values, { capacity: 16 });
    const projected: number[] = [];
    const work = async (v: number): Promise<number> => {
      projected.push(v);
      for (let i = 0; i < delays[v]; i++) await null; // finish after a few promise jobs, in any order
      if (v === failAt) throw new Error('boom');
      return v;
    };
    await lastValueFrom(rx.pipe(mergeMapBounded(work, { concurrency }), take(k), toArray())).catch(() => undefined);
    await flush();
    return { projected, rest: await lastValueFrom(rx.pipe(toArray())) };
  }

  const arbitraries = [
    fc.integer({ min: 1, max: 10 }),
    fc.integer({ min: -1, max: 11 }),
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
  ] as const;

  it('with concurrency 1 every value is either projected or still in the receiver, in order, none twice', async () => {
    await fc.assert(
      fc.asyncProperty(...arbitraries, async (k, failAt, delays) => {
        const { projected, rest } = await stopEarly(1, k, failAt, delays);
        expect([...projected, ...rest]).toEqual(Array.from({ length: 12 }, (_, i) => i));
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('with concurrency > 1 nothing is lost either: every value is projected once or stays in the receiver, in order', async () => {
    // A queue receiver is read synchronously: a value leaves it only in the step that hands it
    // to project, so an output that ends while inners run leaves no value in flight.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), ...arbitraries, async (concurrency, k, failAt, delays) => {
        const { projected, rest } = await stopEarly(concurrency, k, failAt, delays);
        const all = [...projected, ...rest];
        expect(new Set(all).size).toBe(all.length);
        expect(rest).toEqual([...rest].sort((a, b) => a - b));
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});

describe('mergeMapBounded: malformed options', () => {
  it.each([
    [undefined, '`undefined` (undefined)'],
    [null, '`null` (null)'],
    [5, '`5` (number)'],
    ['fast', '`"fast"` (string)'],
  ])('throws TypeError showing options %p that are not an object', (options, shown) => {
    const call = () => mergeMapBounded((v) => of(v), options as never);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(`Expected \`options\` to be an object with \`concurrency\`, got ${shown}`);
  });
});

describe('mergeMapBounded behind backpressure', () => {
  it('over a receiver: a value that arrives while the output waits stays in the receiver if the output stops before taking it', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const projected: number[] = [];
    const subscription = backpressure(4)(rx)
      .pipe(mergeMapBounded((v: number) => (projected.push(v), of(v)), { concurrency: 1 }))
      .subscribe();
    await flush(); // the output now waits for a value
    tx.trySend(1);
    subscription.unsubscribe(); // before the value is handed to project
    await flush();
    expect(projected).toStrictEqual([]);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toStrictEqual([1]);
  });

  it('over a receiver: buffered values reach project in the step that subscribes, as over the receiver itself', () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const projected: number[] = [];
    backpressure(4)(rx)
      .pipe(mergeMapBounded((v: number) => (projected.push(v), new Subject<number>()), { concurrency: 2 }))
      .subscribe();
    expect(projected).toStrictEqual([1, 2]);
    expect(rx.length).toBe(3);
  });

  it('over an async iterable: reads the stage on demand and gets every value', async () => {
    const source = countingSource(5);
    const out = await lastValueFrom(backpressure(2)(source).pipe(mergeMapBounded(async (v: number) => v * 10, { concurrency: 2 }), toArray()));
    expect(out.sort((a, b) => a - b)).toStrictEqual([0, 10, 20, 30, 40]);
    expect(source.pulled).toBe(5);
  });

  it('over a oneshot receiver: reads it as one value', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(4);
    expect(await lastValueFrom(backpressure(1)(rx).pipe(mergeMapBounded(async (v: number) => v * 10, { concurrency: 2 }), toArray()))).toStrictEqual([40]);
  });

  it('an already aborted signal completes at once, leaving no listener on the signal of a stage over a oneshot receiver, nor taking its value', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(4);
    const stage = new AbortController();
    let completed = false;
    backpressure(1, { signal: stage.signal })(rx)
      .pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1, signal: AbortSignal.abort() }))
      .subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
    expect(getEventListeners(stage.signal, 'abort')).toHaveLength(0);
    expect(await lastValueFrom(rx.pipe(toArray()))).toStrictEqual([4]);
  });
});
