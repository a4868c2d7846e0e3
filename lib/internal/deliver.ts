/** The consumer side of an Observer, as every kind's Observable delivery sees it. */
interface Consumer<T> {
  next(value: T): void;
  error(reason: unknown): void;
}

/**
 * Hands `value` to a subscriber. One whose `next` throws (a raw `Subscriber` over a throwing
 * callback) fails with that error, as an RxJS operator's subscriber does: it took the value,
 * and the error reaches it as an Observable error, never the sender as a throw.
 *
 * @returns whether `next` returned normally.
 */
export function deliver<T>(consumer: Consumer<T>, value: T): boolean {
  try {
    consumer.next(value);
    return true;
  } catch (error) {
    consumer.error(error);
    return false;
  }
}
