import { firstValueFrom, lastValueFrom, map, of, range, Subject, take, tap, toArray } from 'rxjs';
import { broadcast, closeOnError, mergeMapBounded, mpmc, mpsc, SendError, watch } from 'rxjs-channel';
import { catchRethrown, flush, stateOf } from '../helpers.js';
import { filled, marbles } from './support.js';

describe('closeOnError', () => {
  it('when the consumer pipeline fails, closes the receiver: waiting and future sends reject SendError with their values, buffered values stay', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const boom = new Error('boom');
    const failing = async (n: number): Promise<number> => {
      if (n === 1) throw boom;
      return n;
    };
    const done = lastValueFrom(rx.pipe(mergeMapBounded(failing, { concurrency: 1 }), closeOnError(rx)));
    const sends = [0, 1, 2, 3, 4, 5].map((n) => tx.send(n).then(() => 'sent', (e: unknown) => e));
    await expect(done).rejects.toBe(boom);
    // 0 and 1 went to project, 2 and 3 fill the channel; 4 and 5 were waiting: refused with their values.
    expect(await Promise.all(sends)).toEqual(['sent', 'sent', 'sent', 'sent', new SendError(4), new SendError(5)]);
    expect((await sends[4]) instanceof SendError).toBe(true);
    await expect(tx.send(9)).rejects.toEqual(new SendError(9));
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3]); // buffered values stay receivable
  });

  it('with concurrency 2: no producer is left waiting, and every refused send carries its value', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const failing = async (n: number): Promise<number> => {
      if (n === 3) throw new Error('boom');
      return n;
    };
    const done = lastValueFrom(rx.pipe(mergeMapBounded(failing, { concurrency: 2 }), closeOnError(rx))).catch(() => 'failed');
    const sends = Array.from({ length: 10 }, (_, n) => tx.send(n).then(() => n, (e: SendError<number>) => e));
    expect(await done).toBe('failed');
    const settled = await Promise.all(sends);
    const refused = settled.filter((r): r is SendError<number> => r instanceof SendError);
    expect(refused.map((e) => e.value)).toEqual(settled.map((_, n) => n).slice(10 - refused.length));
    expect(refused.length).toBeGreaterThan(0);
    expect(await stateOf(tx.send(99))).toEqual({ state: 'rejected', reason: new SendError(99) });
  });

  it('without it the receiver stays open and a producer waits in send forever (the behaviour it fixes)', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const done = lastValueFrom(
      rx.pipe(
        mergeMapBounded(async () => {
          throw new Error('boom');
        }, { concurrency: 1 }),
      ),
    ).catch(() => 'failed');
    void tx.send(1);
    void tx.send(2);
    const waiting = tx.send(3);
    expect(await done).toBe('failed');
    expect(await stateOf(waiting)).toEqual({ state: 'pending' });
    expect(tx.isClosed).toBe(false);
    rx.close();
  });

  it('marbles: passes values, completion and errors through, closing only on error', () => {
    const boom = new Error('boom');
    marbles().run(({ cold, expectObservable }) => {
      const [tx, rx] = mpsc.channel<string>(1);
      expectObservable(cold('a-b|').pipe(closeOnError(rx))).toBe('a-b|');
      expectObservable(cold('a-#', undefined, boom).pipe(closeOnError(rx))).toBe('a-#', undefined, boom);
      expectObservable(cold('a').pipe(tap(() => expect(tx.isClosed).toBe(false)), closeOnError(rx))).toBe('a');
    });
  });

  it('closes before the error reaches the subscriber', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const source = new Subject<number>();
    let closedWhenNotified: boolean | undefined;
    source.pipe(closeOnError(rx)).subscribe({ error: () => (closedWhenNotified = tx.isClosed) });
    expect(tx.isClosed).toBe(false);
    source.error(new Error('boom'));
    expect(closedWhenNotified).toBe(true);
  });

  it('does not close on completion or unsubscribe', async () => {
    const [tx, rx] = filled([1, 2], { keepOpen: true });
    await lastValueFrom(of(1).pipe(closeOnError(rx)));
    of(1, 2).pipe(closeOnError(rx)).subscribe().unsubscribe();
    new Subject<number>().pipe(closeOnError(rx)).subscribe().unsubscribe();
    expect(tx.isClosed).toBe(false);
  });

  it('a synchronous unsubscribe during the first value stops the source (take(1), firstValueFrom)', async () => {
    const [, rx] = filled<number>([]);
    let produced = 0;
    const seen: number[] = [];
    range(0, 100_000)
      .pipe(
        tap(() => produced++),
        closeOnError(rx),
        take(1),
      )
      .subscribe((v) => seen.push(v));
    expect(seen).toEqual([0]);
    expect(produced).toBe(1);
    produced = 0;
    expect(await firstValueFrom(range(0, 1000).pipe(tap(() => produced++), closeOnError(rx)))).toBe(0);
    expect(produced).toBe(1);
  });

  it('an operator before it that throws on the first value closes the receiver and stops the source', () => {
    const [tx, rx] = filled<number>([], { keepOpen: true });
    const boom = new Error('boom');
    let produced = 0;
    let failure: unknown;
    range(0, 1000)
      .pipe(
        tap(() => produced++),
        map(() => {
          throw boom;
        }),
        closeOnError(rx),
      )
      .subscribe({ error: (e: unknown) => (failure = e) });
    expect(failure).toBe(boom);
    expect(produced).toBe(1);
    expect(tx.isClosed).toBe(true);
  });

  it('over a Receiver with take(1): one value taken, the rest stay', async () => {
    const [, rx] = filled([1, 2, 3]);
    expect(await firstValueFrom(rx.pipe(mergeMapBounded(async (v: number) => v, { concurrency: 1 }), closeOnError(rx), take(1)))).toBe(1);
    await flush();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3]);
  });

  it('closes an mpmc receiver too', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const failed = lastValueFrom(
      rx.pipe(
        mergeMapBounded(async () => {
          throw new Error('boom');
        }, { concurrency: 1 }),
        closeOnError(rx),
      ),
    ).catch(() => 'failed');
    void tx.send(1);
    expect(await failed).toBe('failed');
    await expect(tx.send(2)).rejects.toBeInstanceOf(SendError);
  });

  it('a close() that throws does not stop the error: the subscriber still gets it, the close error is rethrown from a promise job', async () => {
    // The library's jobs go through a hook here, so the rethrown error is caught instead of
    // becoming an unhandled rejection (see lib/internal/schedule.ts).
    const { caught, restore } = catchRethrown();
    try {
      const [tx, rx] = mpsc.channel<number>(1);
      const boom = new Error('boom');
      const closeError = new Error('close failed');
      // No receiver of this library throws from close(); one patched to throw stands for a receiver
      // whose close fails, which the operator reports without holding back the pipeline's error.
      const close = rx.close.bind(rx);
      rx.close = () => {
        close();
        throw closeError;
      };
      let failure: unknown;
      const source = new Subject<number>();
      source.pipe(closeOnError(rx)).subscribe({ error: (e: unknown) => (failure = e) });
      source.error(boom);
      expect(failure).toBe(boom);
      expect(tx.isClosed).toBe(true);
      await flush();
      expect(caught).toEqual([closeError]);
    } finally {
      restore();
    }
  });

  it('throws a TypeError showing a value that is not a receiver with close()', () => {
    expect(() => closeOnError(5 as never)).toThrow('Expected `rx` to be a receiver with close() (mpsc, mpmc or oneshot), got `5` (number)');
    expect(() => closeOnError({ close() {} } as never)).toThrow(TypeError);
    const [, brx] = broadcast.channel<number>(1);
    const [, wrx] = watch.channel(0);
    expect(() => closeOnError(brx as never)).toThrow(TypeError);
    expect(() => closeOnError(wrx as never)).toThrow(TypeError);
  });
});
