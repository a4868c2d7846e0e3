import { lastValueFrom, Subscriber, take, toArray } from 'rxjs';
import { watch, RecvError } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';

async function rejectsRecvError(promise: Promise<unknown>): Promise<void> {
  const state = await stateOf(promise);
  expect(state.state).toBe('rejected');
  expect((state as { reason: unknown }).reason).toBeInstanceOf(RecvError);
}

// Ported from tokio/tests/sync_watch.rs (behaviours, adapted to this API), plus the
// Observable and async-iterator sides.
describe('watch.Receiver', () => {
  describe('changed', () => {
    it('waits for a send, resolves, and rejects once the sender is dropped (single_rx_recv)', async () => {
      const [tx, rx] = watch.channel('one');
      expect(await stateOf(rx.changed())).toEqual({ state: 'pending' });
      expect(rx.borrow()).toBe('one');
      const changed = rx.changed();
      tx.send('two');
      expect(await stateOf(changed)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.borrow()).toBe('two');
      const last = rx.changed();
      expect(await stateOf(last)).toEqual({ state: 'pending' });
      tx.drop();
      await rejectsRecvError(last);
      expect(rx.borrow()).toBe('two');
    });

    it('each receiver keeps its own seen version (multi_rx)', async () => {
      const [tx, rx1] = watch.channel('one');
      const rx2 = rx1.clone();
      const t2 = rx2.changed();
      const t1 = rx1.changed();
      tx.send('two');
      expect(await stateOf(t1)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx1.borrow()).toBe('two');
      const t1b = rx1.changed();
      tx.send('three');
      expect(await stateOf(t1b)).toEqual({ state: 'fulfilled', value: undefined });
      expect(await stateOf(t2)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx1.borrow()).toBe('three');
      expect(rx2.borrow()).toBe('three');
      // rx2's wait resolved at 'two' and marked that version seen; 'three' is still new to it.
      expect(rx2.hasChanged()).toBe(true);
      await rx2.changed();
      const [u1, u2] = [rx1.changed(), rx2.changed()];
      tx.send('four');
      expect(await stateOf(u1)).toEqual({ state: 'fulfilled', value: undefined });
      expect(await stateOf(u2)).toEqual({ state: 'fulfilled', value: undefined });
      expect([rx1.borrow(), rx2.borrow()]).toEqual(['four', 'four']);
    });

    it('reports a final value sent just before the last drop, then rejects (rx_observes_final_value)', async () => {
      const [tx0, rx0] = watch.channel('one');
      tx0.drop();
      await rejectsRecvError(rx0.changed());
      expect(rx0.borrow()).toBe('one');

      const [tx, rx] = watch.channel('one');
      tx.send('two');
      expect(await stateOf(rx.changed())).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.borrow()).toBe('two');
      const changed = rx.changed();
      tx.send('three');
      tx.drop();
      expect(await stateOf(changed)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.borrow()).toBe('three');
      await rejectsRecvError(rx.changed());
      expect(rx.borrow()).toBe('three');
    });

    it('coalesces: several sends between two waits resolve one changed() (the latest value is what counts)', async () => {
      const [tx, rx] = watch.channel(0);
      tx.send(1);
      tx.send(2);
      tx.send(3);
      await rx.changed();
      expect(rx.borrow()).toBe(3);
      expect(await stateOf(rx.changed())).toEqual({ state: 'pending' });
    });

    it('an abort rejects with the reason and marks nothing seen', async () => {
      const [tx, rx] = watch.channel(0);
      const controller = new AbortController();
      const changed = rx.changed({ signal: controller.signal });
      controller.abort(new Error('stop'));
      await expect(changed).rejects.toThrow('stop');
      tx.send(1);
      expect(rx.hasChanged()).toBe(true);
      await rx.changed();
      expect(rx.hasChanged()).toBe(false);
    });

    it('an already-aborted signal rejects even with an unseen version, and marks nothing seen', async () => {
      const [tx, rx] = watch.channel(0);
      tx.send(1);
      const controller = new AbortController();
      controller.abort('gone');
      expect(await stateOf(rx.changed({ signal: controller.signal }))).toEqual({ state: 'rejected', reason: 'gone' });
      expect(rx.hasChanged()).toBe(true);
    });

    it('every changed() pending at once resolves on the same new version', async () => {
      const [tx, rx] = watch.channel(0);
      const a = rx.changed();
      const b = rx.changed();
      tx.send(1);
      expect(await stateOf(a)).toEqual({ state: 'fulfilled', value: undefined });
      expect(await stateOf(b)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.hasChanged()).toBe(false);
    });

    it('rejects TypeError for a signal that is not an AbortSignal', async () => {
      const [, rx] = watch.channel(0);
      await expect(rx.changed({ signal: {} as never })).rejects.toThrow('Expected `signal` to be an AbortSignal, got `{}` (object)');
    });

    it('rejects RecvError for a dropped receiver, also for a wait already pending', async () => {
      const [, rx] = watch.channel(0);
      const pending = rx.changed();
      rx.drop();
      await rejectsRecvError(pending);
      await rejectsRecvError(rx.changed());
    });
  });

  describe('seen version', () => {
    it('borrowAndUpdate marks seen, borrow does not (borrow_and_update)', async () => {
      const [tx, rx] = watch.channel('one');
      expect(rx.hasChanged()).toBe(false);
      tx.send('two');
      expect(rx.hasChanged()).toBe(true);
      await rx.changed();
      expect(await stateOf(rx.changed())).toEqual({ state: 'pending' });
      expect(rx.hasChanged()).toBe(false);
      tx.send('three');
      expect(rx.borrow()).toBe('three');
      expect(rx.hasChanged()).toBe(true);
      expect(rx.borrowAndUpdate()).toBe('three');
      expect(rx.hasChanged()).toBe(false);
      tx.drop();
      expect(rx.borrowAndUpdate()).toBe('three');
      await rejectsRecvError(rx.changed());
      expect(() => rx.hasChanged()).toThrow(RecvError);
    });

    it('markUnchanged and markChanged set the seen version without reading', async () => {
      const [tx, rx] = watch.channel(0);
      tx.send(1);
      rx.markUnchanged();
      expect(rx.hasChanged()).toBe(false);
      rx.markChanged();
      expect(rx.hasChanged()).toBe(true);
      expect(await stateOf(rx.changed())).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.hasChanged()).toBe(false);
    });

    it('clone copies the seen version; the clones then move independently', () => {
      const [tx, rx] = watch.channel(0);
      tx.send(1);
      const copy = rx.clone();
      expect(copy.hasChanged()).toBe(true);
      copy.markUnchanged();
      expect(rx.hasChanged()).toBe(true);
    });

    it('hasChanged throws RecvError after the receiver was dropped', () => {
      const [, rx] = watch.channel(0);
      rx.drop();
      expect(() => rx.hasChanged()).toThrow(RecvError);
      expect(rx.isDropped).toBe(true);
      expect(rx.isClosed).toBe(true);
    });
  });

  describe('as an Observable', () => {
    it('emits the current value at once, like a BehaviorSubject', () => {
      const [, rx] = watch.channel('now');
      const seen: string[] = [];
      rx.subscribe((v) => seen.push(v));
      expect(seen).toEqual(['now']);
    });

    it('delivers a synchronous burst of sends as its last value only, on a microtask', async () => {
      const [tx, rx] = watch.channel(0);
      const seen: number[] = [];
      rx.subscribe((v) => seen.push(v));
      tx.send(1);
      tx.send(2);
      tx.send(3);
      expect(seen).toEqual([0]);
      await flush();
      expect(seen).toEqual([0, 3]);
      tx.send(4);
      await flush();
      tx.sendModify((n) => n + 1);
      await flush();
      expect(seen).toEqual([0, 3, 4, 5]);
    });

    it('does not re-emit a value the subscriber already has', async () => {
      const [tx, rx] = watch.channel(0);
      tx.send(1);
      const seen: number[] = [];
      rx.subscribe((v) => seen.push(v));
      await flush();
      expect(seen).toEqual([1]);
    });

    it('completes after the final value when every sender is dropped', async () => {
      const [tx, rx] = watch.channel('a');
      const all = lastValueFrom(rx.pipe(toArray()));
      tx.send('b');
      await flush();
      tx.send('c');
      tx.send('d');
      tx.drop();
      expect(await all).toEqual(['a', 'b', 'd']);
    });

    it('a subscriber arriving after the end gets the last value and completes', async () => {
      const [tx, rx] = watch.channel(1);
      tx.send(2);
      tx.drop();
      expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2]);
    });

    it('serves any number of subscribers of one receiver, and leaves its seen version alone', async () => {
      const [tx, rx] = watch.channel(0);
      const a = lastValueFrom(rx.pipe(take(2), toArray()));
      const b = lastValueFrom(rx.pipe(take(2), toArray()));
      tx.send(1);
      expect(await a).toEqual([0, 1]);
      expect(await b).toEqual([0, 1]);
      expect(rx.hasChanged()).toBe(true);
    });

    it('completes the subscribers of a receiver when it is dropped, not those of others', async () => {
      const [tx, rx] = watch.channel(0);
      const other = tx.subscribe();
      let rxDone = false;
      let otherDone = false;
      rx.subscribe({ complete: () => (rxDone = true) });
      other.subscribe({ complete: () => (otherDone = true) });
      rx.drop();
      expect(rxDone).toBe(true);
      expect(otherDone).toBe(false);
      let late = false;
      rx.subscribe({ complete: () => (late = true) });
      expect(late).toBe(true);
    });

    it('stops delivering after unsubscribe', async () => {
      const [tx, rx] = watch.channel(0);
      const seen: number[] = [];
      const sub = rx.subscribe((v) => seen.push(v));
      tx.send(1);
      sub.unsubscribe();
      await flush();
      expect(seen).toEqual([0]);
    });
  });

  describe('as an async iterable', () => {
    it('yields the current value, then the latest of each burst, and ends when the senders are dropped', async () => {
      const [tx, rx] = watch.channel(0);
      const it = rx[Symbol.asyncIterator]();
      expect(await it.next()).toEqual({ value: 0, done: false });
      const next = it.next();
      expect(await stateOf(next)).toEqual({ state: 'pending' });
      tx.send(1);
      tx.send(2);
      expect(await next).toEqual({ value: 2, done: false });
      tx.send(3);
      tx.drop();
      expect(await it.next()).toEqual({ value: 3, done: false });
      expect(await it.next()).toEqual({ value: undefined, done: true });
      expect(await it.next()).toEqual({ value: undefined, done: true });
    });

    it('break ends the iteration; the receiver keeps working', async () => {
      const [tx, rx] = watch.channel(0);
      for await (const v of rx) {
        expect(v).toBe(0);
        break;
      }
      tx.send(1);
      expect(rx.hasChanged()).toBe(true);
    });

    it('ends when the receiver is dropped', async () => {
      const [, rx] = watch.channel(0);
      const it = rx[Symbol.asyncIterator]();
      await it.next();
      const next = it.next();
      rx.drop();
      expect(await next).toEqual({ value: undefined, done: true });
    });
  });
});

describe('seams: return() while a next() is pending', () => {
  it('settles the pending next() as done at once; a version sent later is not consumed and a later consumer sees it', async () => {
    const [tx, rx] = watch.channel(0);
    const iterator = rx[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    const pending = iterator.next();
    expect(await stateOf(pending)).toEqual({ state: 'pending' });
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await stateOf(pending)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    tx.send(1);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(rx.hasChanged()).toBe(true);
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

  it('sending in its first next (delivered during subscribe) delivers the new version, as a send right after subscribe would', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    rx.subscribe(raw(seen, (v) => void (v === 0 && tx.send(1))));
    expect(seen).toEqual([0]);
    await flush();
    expect(seen).toEqual([0, 1]);
  });

  it('sending in a later next delivers that version too', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    rx.subscribe(raw(seen, (v) => void (v === 1 && tx.send(2))));
    tx.send(1);
    await flush();
    expect(seen).toEqual([0, 1, 2]);
  });

  it('dropping the receiver in its first next completes the subscriber; later versions do not reach it', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => rx.drop(), events));
    expect(events).toEqual(['complete']);
    expect(tx.receiverCount).toBe(0);
    tx.sendReplace(1);
    await flush();
    expect(seen).toEqual([0]);
    expect(events).toEqual(['complete']);
  });

  it('dropping the last sender in its first next completes the subscriber after the current value', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, () => tx.drop(), events));
    await flush();
    expect(seen).toEqual([0]);
    expect(events).toEqual(['complete']);
  });

  it('unsubscribing in its first next stops every later delivery', async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    const events: string[] = [];
    rx.subscribe(raw(seen, (_v, self) => self.unsubscribe(), events));
    tx.send(1);
    await flush();
    expect(seen).toEqual([0]);
    expect(events).toEqual([]);
  });

  it('a subscriber that unsubscribes another inside its next: the other gets nothing more, a third still gets the version', async () => {
    const [tx, rx] = watch.channel(0);
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    const subB = raw(b, () => {});
    rx.subscribe(raw(a, (v) => void (v === 1 && subB.unsubscribe())));
    rx.subscribe(subB);
    rx.subscribe(raw(c, () => {}));
    tx.send(1);
    await flush();
    expect(a).toEqual([0, 1]);
    expect(b).toEqual([0]);
    expect(c).toEqual([0, 1]);
  });
});
