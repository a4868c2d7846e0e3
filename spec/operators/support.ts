/** Helpers shared by the operator specs. */
import { Observable, Subscription, type Observer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mpsc } from 'rxjs-channel';

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** A promise settled by hand, to stand for slow work without timers. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A TestScheduler whose assertions are jest's `toEqual`. */
export function marbles(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** An async iterable over `0, 1, 2, ...` (up to `count`) that records how far it was read and whether it was released. */
export function countingSource(count = Infinity): AsyncIterable<number> & { pulled: number; returned: boolean } {
  const source = {
    pulled: 0,
    returned: false,
    async *[Symbol.asyncIterator](): AsyncGenerator<number> {
      try {
        for (let i = 0; i < count; i++) {
          source.pulled++;
          yield i;
        }
      } finally {
        source.returned = true;
      }
    },
  };
  return source;
}

/** An mpsc receiver holding `values` (its senders dropped unless `keepOpen`), and its sender. */
export function filled<T>(
  values: readonly T[],
  options: { capacity?: number; keepOpen?: boolean } = {},
): [mpsc.Sender<T>, mpsc.Receiver<T>] {
  const [tx, rx] = mpsc.channel<T>(options.capacity ?? 8);
  for (const v of values) tx.trySend(v);
  if (options.keepOpen !== true) tx.drop();
  return [tx, rx];
}

/**
 * Records the unhandled rejections of the process while `body` runs and a few turns after it,
 * so a spec can assert there were none.
 */
export async function unhandledRejectionsDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

/** A synchronous Observable that emits 0, 1, 2 ... until its subscriber closes, counting what it emitted. */
export function endless(): Observable<number> & { emitted: number } {
  const source = Object.assign(
    new Observable<number>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        source.emitted++;
        subscriber.next(i);
        if (source.emitted > 1_000_000) throw new Error('the endless source was never stopped');
      }
    }),
    { emitted: 0 },
  );
  return source;
}

/** What a {@link bareSubscriber} was sent, in order. */
export type Event = ['next', unknown] | ['error', unknown] | ['complete'];

/**
 * A subscriber as RxJS operators (and this library's) write them: a Subscription with
 * `next`/`error`/`complete`, which `Observable.subscribe` uses as is instead of wrapping it in
 * a guarding `SafeSubscriber`. It unsubscribes when it ends, but does not itself ignore what
 * arrives after that, so it shows what the operator in front of it forwards.
 */
export function bareSubscriber(events: Event[], next?: (value: unknown) => void): Subscription & Observer<unknown> {
  const subscriber: Subscription & Observer<unknown> = Object.assign(new Subscription(), {
    next: next ?? ((value: unknown) => void events.push(['next', value])),
    error: (reason: unknown) => {
      events.push(['error', reason]);
      subscriber.unsubscribe();
    },
    complete: () => {
      events.push(['complete']);
      subscriber.unsubscribe();
    },
  });
  return subscriber;
}
