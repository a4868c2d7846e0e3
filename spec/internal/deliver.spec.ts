/**
 * lib/internal/deliver.ts, in-process: a raw RxJS `Subscriber` (no SafeSubscriber wrapper) whose
 * `next` throws fails with that error as an Observable error, and the producer never sees the
 * throw. spec/internal/schedule.spec.ts checks the same seam in a child process (for unhandled
 * rejections), where StrykerJS cannot credit a kill; these run in jest's own process.
 */
import { Subscriber } from 'rxjs';
import { broadcast, mpsc, watch } from 'rxjs-channel';

async function flushPromises(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

interface Seen {
  values: number[];
  errors: unknown[];
  completed: boolean;
}

/** A raw Subscriber: its `next` throw reaches the channel's delivery. */
function throwingOn(bad: number): { sub: Subscriber<number>; seen: Seen } {
  const seen: Seen = { values: [], errors: [], completed: false };
  const sub = new Subscriber<number>({
    next(v) {
      seen.values.push(v);
      if (v === bad) throw new Error(`failed on ${v}`);
    },
    error(e: unknown) {
      seen.errors.push(e);
    },
    complete() {
      seen.completed = true;
    },
  });
  return { sub, seen };
}

describe('deliver: a subscriber whose next throws', () => {
  it('mpsc: the subscriber errors with the thrown error, the sender does not throw, later values stay buffered', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const { sub, seen } = throwingOn(1);
    rx.subscribe(sub);
    expect(() => tx.trySend(1)).not.toThrow();
    expect(seen.errors).toHaveLength(1);
    expect((seen.errors[0] as Error).message).toBe('failed on 1');
    expect(sub.closed).toBe(true);
    tx.trySend(2);
    tx.trySend(3);
    expect(seen.values).toEqual([1]);
    expect([rx.tryRecv(), rx.tryRecv()]).toEqual([2, 3]);
  });

  it('broadcast: the throwing subscriber errors, the other receiver gets every value', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const other = tx.subscribe();
    const { sub, seen } = throwingOn(1);
    rx.subscribe(sub);
    expect(() => tx.send(1)).not.toThrow();
    tx.send(2);
    expect(seen.values).toEqual([1]);
    expect((seen.errors[0] as Error).message).toBe('failed on 1');
    expect(seen.completed).toBe(false);
    expect([other.tryRecv(), other.tryRecv()]).toEqual([1, 2]);
  });

  it('watch: the throwing subscriber errors and is not called again; the other one sees the latest version', async () => {
    const [tx, rx] = watch.channel<number>(0);
    const { sub, seen } = throwingOn(1);
    const others: number[] = [];
    rx.subscribe(sub);
    rx.subscribe((v) => others.push(v));
    expect(() => tx.send(1)).not.toThrow();
    await flushPromises();
    expect(seen.values).toEqual([0, 1]);
    expect((seen.errors[0] as Error).message).toBe('failed on 1');
    tx.send(2);
    await flushPromises();
    expect(seen.values).toEqual([0, 1]);
    expect(seen.errors).toHaveLength(1);
    expect(others).toEqual([0, 1, 2]);
  });
});
