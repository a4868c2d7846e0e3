/** Helpers shared by the operator specs. */
import { TestScheduler } from 'rxjs/testing';

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
