import { concat, config, lastValueFrom, of, Subject, throwError, toArray } from 'rxjs';
import { watch, SendError, SenderDroppedError, RecvError } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';

// Ported from tokio/tests/sync_watch.rs (behaviours, adapted to this API).
describe('watch.Sender', () => {
  describe('send', () => {
    it('replaces the value and marks it changed for every receiver', () => {
      const [tx, rx1] = watch.channel('one');
      const rx2 = tx.subscribe();
      tx.send('two');
      expect([rx1.hasChanged(), rx2.hasChanged()]).toEqual([true, true]);
      expect([rx1.borrow(), rx2.borrow(), tx.borrow()]).toEqual(['two', 'two', 'two']);
    });

    it('throws SendError carrying the value, and stores nothing, when no receiver is left (poll_close)', () => {
      const [tx, rx] = watch.channel('one');
      rx.drop();
      let caught: unknown;
      try {
        tx.send('two');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SendError);
      expect((caught as SendError<string>).value).toBe('two');
      expect(tx.borrow()).toBe('one');
    });
  });

  describe('sendReplace', () => {
    it('stores and notifies even without receivers, returning the old value', () => {
      const [tx, rx] = watch.channel('a');
      rx.drop();
      expect(tx.sendReplace('b')).toBe('a');
      const rx2 = tx.subscribe();
      expect(rx2.borrow()).toBe('b');
      expect(tx.sendReplace('c')).toBe('b');
      expect(rx2.hasChanged()).toBe(true);
    });
  });

  describe('sendModify', () => {
    it('mutates in place when the callback returns nothing', () => {
      const [tx, rx] = watch.channel({ n: 1 });
      const stored = tx.borrow();
      tx.sendModify((s) => {
        s.n = 2;
      });
      expect(rx.borrow()).toBe(stored);
      expect(rx.borrowAndUpdate()).toEqual({ n: 2 });
    });

    it('replaces the value with what the callback returns', () => {
      const [tx, rx] = watch.channel(1);
      tx.sendModify((n) => n + 1);
      expect(rx.hasChanged()).toBe(true);
      expect(rx.borrow()).toBe(2);
    });

    it('notifies even when nothing changed, and even without receivers', () => {
      const [tx, rx] = watch.channel(1);
      tx.sendModify(() => {});
      expect(rx.hasChanged()).toBe(true);
      rx.drop();
      tx.sendModify((n) => n + 1);
      expect(tx.borrow()).toBe(2);
    });

    it('a throwing callback notifies nobody but keeps what it changed in place (send_modify_panic)', async () => {
      const [tx, rx] = watch.channel({ s: 'one' });
      tx.sendModify((v) => {
        v.s = 'two';
      });
      expect(rx.borrowAndUpdate()).toEqual({ s: 'two' });
      const rx2 = rx.clone();
      expect(rx2.borrowAndUpdate()).toEqual({ s: 'two' });
      const changed = rx2.changed();
      expect(() =>
        tx.sendModify((v) => {
          v.s = 'panicked';
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(await stateOf(changed)).toEqual({ state: 'pending' });
      expect(rx.borrow()).toEqual({ s: 'panicked' });
      tx.sendModify((v) => {
        v.s = 'three';
      });
      expect(await stateOf(changed)).toEqual({ state: 'fulfilled', value: undefined });
      expect(rx.borrowAndUpdate()).toEqual({ s: 'three' });
    });

    it('throws TypeError showing a callback that is not a function', () => {
      const [tx] = watch.channel(1);
      expect(() => tx.sendModify(5 as never)).toThrow(TypeError);
      expect(() => tx.sendModify(5 as never)).toThrow('Expected `modify` to be a function, got `5` (number)');
    });
  });

  describe('sendIfModified', () => {
    it('notifies only when the callback returns true, and returns that', () => {
      const [tx, rx] = watch.channel({ n: 1 });
      expect(tx.sendIfModified(() => false)).toBe(false);
      expect(rx.hasChanged()).toBe(false);
      expect(
        tx.sendIfModified((s) => {
          s.n = 5;
          return true;
        }),
      ).toBe(true);
      expect(rx.hasChanged()).toBe(true);
      expect(rx.borrow()).toEqual({ n: 5 });
    });

    it('changes made in place without returning true are visible to borrow but not announced', async () => {
      const [tx, rx] = watch.channel({ n: 1 });
      const changed = rx.changed();
      tx.sendIfModified((s) => {
        s.n = 2;
        return false;
      });
      expect(rx.borrow()).toEqual({ n: 2 });
      expect(await stateOf(changed)).toEqual({ state: 'pending' });
    });

    it('throws TypeError showing a callback that is not a function', () => {
      const [tx] = watch.channel(1);
      expect(() => tx.sendIfModified(null as never)).toThrow('Expected `modify` to be a function, got `null` (null)');
    });
  });

  describe('subscribe and receiverCount', () => {
    it('a new receiver has seen the current value', async () => {
      const [tx] = watch.channel(1);
      tx.send(2);
      const rx = tx.subscribe();
      expect(rx.borrow()).toBe(2);
      expect(rx.hasChanged()).toBe(false);
      expect(await stateOf(rx.changed())).toEqual({ state: 'pending' });
    });

    it('reopens the channel after every receiver was dropped (reopened_after_subscribe)', () => {
      const [tx, rx] = watch.channel('one');
      expect(tx.isClosed).toBe(false);
      rx.drop();
      expect(tx.isClosed).toBe(true);
      expect(tx.receiverCount).toBe(0);
      const rx2 = tx.subscribe();
      expect(tx.isClosed).toBe(false);
      expect(tx.receiverCount).toBe(1);
      rx2.drop();
      expect(tx.isClosed).toBe(true);
    });
  });

  describe('closed()', () => {
    it('resolves once every receiver is dropped (poll_close)', async () => {
      const [tx, rx] = watch.channel('one');
      const rx2 = rx.clone();
      const closed = tx.closed();
      rx.drop();
      expect(await stateOf(closed)).toEqual({ state: 'pending' });
      rx2[Symbol.dispose]();
      expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
      expect(await stateOf(tx.closed())).toEqual({ state: 'fulfilled', value: undefined });
      expect(() => tx.send('two')).toThrow(SendError);
    });
  });

  describe('clone and drop', () => {
    it('receivers see the end only when every clone is dropped', async () => {
      const [tx, rx] = watch.channel(0);
      const tx2 = tx.clone();
      expect(tx.senderCount).toBe(2);
      const changed = rx.changed();
      tx.drop();
      expect(await stateOf(changed)).toEqual({ state: 'pending' });
      expect(rx.isClosed).toBe(false);
      tx2.drop();
      const state = await stateOf(changed);
      expect(state.state).toBe('rejected');
      expect((state as { reason: unknown }).reason).toBeInstanceOf(RecvError);
      expect(rx.isClosed).toBe(true);
    });

    it('a dropped handle refuses every send, subscribe and clone with SenderDroppedError, but can still borrow', () => {
      const [tx] = watch.channel(0);
      const keep = tx.clone();
      tx.drop();
      tx.drop();
      expect(tx.isDropped).toBe(true);
      expect(() => tx.send(1)).toThrow(SenderDroppedError);
      expect(() => tx.sendReplace(1)).toThrow(SenderDroppedError);
      expect(() => tx.sendModify((n) => n)).toThrow(SenderDroppedError);
      expect(() => tx.sendIfModified(() => true)).toThrow(SenderDroppedError);
      expect(() => tx.subscribe()).toThrow(SenderDroppedError);
      expect(() => tx.clone()).toThrow(SenderDroppedError);
      expect(tx.borrow()).toBe(0);
      expect(keep.senderCount).toBe(1);
    });

    it('is Disposable: leaving a `using` scope drops the handle', async () => {
      const [tx, rx] = watch.channel(0);
      {
        using held = tx;
        held.send(1);
      }
      await rx.changed();
      await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
    });
  });
});

describe('seams: the Sender is an RxJS Observer', () => {
  // Without an Observer `error`, RxJS would report the error as unhandled (an async throw):
  // capture such reports, and check none happened.
  let reported: unknown[];
  let previous: typeof config.onUnhandledError;
  beforeEach(() => {
    reported = [];
    previous = config.onUnhandledError;
    config.onUnhandledError = (error) => reported.push(error);
  });
  afterEach(async () => {
    // RxJS reports on a 0 ms timer; one queued after it runs after it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    config.onUnhandledError = previous;
    expect(reported).toEqual([]);
  });

  it('of(1, 2).subscribe(tx) publishes 1 then 2, and complete drops the sender: receivers end after the final value', async () => {
    const [tx, rx] = watch.channel(0);
    const other = tx.subscribe();
    const seen = lastValueFrom(other.pipe(toArray()));
    of(1, 2).subscribe(tx);
    expect(tx.isDropped).toBe(true);
    expect(rx.borrow()).toBe(2);
    await rx.changed(); // the final version is still reported
    expect(rx.borrowAndUpdate()).toBe(2);
    await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
    expect(await seen).toEqual([0, 2]);
  });

  it('each next is a send: a receiver that reads between them sees each value', async () => {
    const [tx, rx] = watch.channel(0);
    const source = new Subject<number>();
    source.subscribe(tx);
    source.next(1);
    expect(await stateOf(rx.changed())).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.borrow()).toBe(1);
    source.next(2);
    expect(await stateOf(rx.changed())).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.borrow()).toBe(2);
    source.complete();
    expect(tx.isDropped).toBe(true);
    await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
  });

  it('error(e) makes receivers fail with e after the last value: changed() rejects e, the Observable errors e after it', async () => {
    const [tx, rx] = watch.channel(0);
    const unseen = tx.subscribe();
    const boom = new Error('boom');
    const seen: number[] = [];
    const events: unknown[] = [];
    rx.subscribe({ next: (v) => seen.push(v), error: (e) => events.push(e) });
    concat(of(1, 2), throwError(() => boom)).subscribe(tx);
    await flush();
    expect(seen).toEqual([0, 2]);
    expect(events).toEqual([boom]);
    expect(rx.borrowAndUpdate()).toBe(2);
    await expect(rx.changed()).rejects.toBe(boom);
    // a receiver that has not seen the last version reads it first, then fails with e
    await unseen.changed();
    expect(unseen.borrowAndUpdate()).toBe(2);
    await expect(unseen.changed()).rejects.toBe(boom);
  });

  it.each([
    ['a function', (v: number) => v],
    ['an observer object', { next: () => {} }],
    ['null', null],
  ])('subscribe(%s) throws TypeError showing the argument (no-arg subscribe() still makes a receiver)', (_label, arg) => {
    const [tx] = watch.channel(0);
    const subscribe = tx.subscribe as (this: unknown, ...args: unknown[]) => unknown;
    expect(() => subscribe.call(tx, arg)).toThrow(TypeError);
    expect(() => subscribe.call(tx, arg)).toThrow(/got `/);
    expect(tx.receiverCount).toBe(1);
    const rx = tx.subscribe();
    expect(tx.receiverCount).toBe(2);
    expect(rx.borrow()).toBe(0);
  });
});
