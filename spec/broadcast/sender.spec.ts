import { concat, config, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { broadcast, ChannelError, SendError, SenderDroppedError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

// Ported from tokio/tests/sync_broadcast.rs (behaviours, adapted to this API).
describe('broadcast.Sender', () => {
  it('send returns how many receivers it reached (send_try_recv_bounded, send_two_recv)', () => {
    const [tx, rx1] = broadcast.channel<string>(16);
    expect(rx1.tryRecv()).toBeUndefined();
    expect(tx.send('hello')).toBe(1);
    const rx2 = tx.subscribe();
    expect(tx.send('world')).toBe(2);
    expect([rx1.tryRecv(), rx1.tryRecv(), rx1.tryRecv()]).toEqual(['hello', 'world', undefined]);
    expect([rx2.tryRecv(), rx2.tryRecv()]).toEqual(['world', undefined]);
  });

  it('send throws SendError carrying the value when there is no receiver, and works again after subscribe (send_no_rx)', () => {
    const [tx, rx] = broadcast.channel<string>(16);
    rx.drop();
    let caught: unknown;
    try {
      tx.send('hello');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SendError);
    expect(caught).toBeInstanceOf(ChannelError);
    expect((caught as SendError<string>).value).toBe('hello');
    const rx2 = tx.subscribe();
    expect(tx.send('world')).toBe(1);
    expect(rx2.tryRecv()).toBe('world');
  });

  it('a value refused for want of receivers is not stored', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    rx.drop();
    expect(() => tx.send(1)).toThrow(SendError);
    expect(tx.length).toBe(0);
    const late = tx.subscribe();
    expect(late.length).toBe(0);
  });

  it('subscribe makes a receiver that sees only values sent afterwards', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    tx.send(1);
    const late = tx.subscribe();
    expect(late.length).toBe(0);
    tx.send(2);
    expect(late.tryRecv()).toBe(2);
    expect(rx.tryRecv()).toBe(1);
    expect(rx.tryRecv()).toBe(2);
  });

  it('receiverCount follows subscribe, resubscribe and drop', () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const rx2 = tx.subscribe();
    const rx3 = rx.resubscribe();
    expect(tx.receiverCount).toBe(3);
    rx2.drop();
    rx2.drop();
    expect(tx.receiverCount).toBe(2);
    rx3[Symbol.dispose]();
    rx.drop();
    expect(tx.receiverCount).toBe(0);
  });

  it('receivers end only once every clone is dropped (dropping_tx_notifies_rx)', async () => {
    const [tx, rx1] = broadcast.channel<number>(16);
    const rx2 = tx.subscribe();
    const tx2 = tx.clone();
    expect(tx.senderCount).toBe(2);
    const recv1 = rx1.recv();
    const recv2 = rx2.recv();
    tx.drop();
    expect(await stateOf(recv1)).toEqual({ state: 'pending' });
    expect(await stateOf(recv2)).toEqual({ state: 'pending' });
    tx2.drop();
    expect(await stateOf(recv1)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(recv2)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx1.isClosed).toBe(true);
  });

  it('receivers drain what is held after the last sender drops (dropping_sender_does_not_overwrite)', async () => {
    const [tx, rx] = broadcast.channel<number>(2);
    tx.send(1);
    tx.send(2);
    tx.drop();
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    expect(await rx.recv()).toBeUndefined();
  });

  it('a dropped handle refuses send, subscribe and clone with SenderDroppedError', () => {
    const [tx] = broadcast.channel<number>(2);
    const keep = tx.clone();
    tx.drop();
    expect(tx.isDropped).toBe(true);
    expect(() => tx.send(1)).toThrow(SenderDroppedError);
    expect(() => tx.subscribe()).toThrow(SenderDroppedError);
    expect(() => tx.clone()).toThrow(SenderDroppedError);
    expect(keep.send(1)).toBe(1);
  });

  it('is Disposable: leaving a `using` scope drops the handle', async () => {
    const [tx, rx] = broadcast.channel<number>(2);
    {
      using held = tx;
      held.send(1);
    }
    expect(tx.isDropped).toBe(true);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBeUndefined();
  });

  describe('len and isEmpty (values still held for the slowest receiver)', () => {
    it('counts values not yet read by every receiver that existed when they were sent', () => {
      const [tx, rx1] = broadcast.channel<number>(8);
      const rx2 = tx.subscribe();
      expect(tx.isEmpty).toBe(true);
      tx.send(1);
      tx.send(2);
      expect(tx.length).toBe(2);
      rx1.tryRecv();
      rx1.tryRecv();
      expect(tx.length).toBe(2);
      rx2.tryRecv();
      expect(tx.length).toBe(1);
      rx2.tryRecv();
      expect(tx.length).toBe(0);
      expect(tx.isEmpty).toBe(true);
    });

    it('never exceeds the capacity: overwritten values are no longer held', () => {
      const [tx] = broadcast.channel<number>(2);
      for (let i = 0; i < 5; i++) tx.send(i);
      expect(tx.length).toBe(2);
    });

    it('releases what a dropped receiver had not read (unconsumed_messages_are_dropped)', () => {
      const [tx, rx1] = broadcast.channel<number>(8);
      const rx2 = tx.subscribe();
      tx.send(1);
      tx.send(2);
      rx1.tryRecv();
      rx1.tryRecv();
      expect(tx.length).toBe(2);
      rx2.drop();
      expect(tx.length).toBe(0);
    });

    it('a receiver made later does not hold older values', () => {
      const [tx, rx] = broadcast.channel<number>(8);
      tx.send(1);
      rx.tryRecv();
      tx.subscribe();
      expect(tx.length).toBe(0);
    });
  });

  describe('closed()', () => {
    it('resolves once the last receiver is dropped', async () => {
      const [tx, rx1] = broadcast.channel<number>(2);
      const rx2 = tx.subscribe();
      const closed = tx.closed();
      rx1.drop();
      expect(await stateOf(closed)).toEqual({ state: 'pending' });
      rx2.drop();
      expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
      expect(await stateOf(tx.closed())).toEqual({ state: 'fulfilled', value: undefined });
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

  it('of(1, 2).subscribe(tx) delivers 1 and 2 to every receiver, and complete drops the sender: receivers end after draining', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const other = tx.subscribe();
    const all = lastValueFrom(other.pipe(toArray()));
    of(1, 2).subscribe(tx);
    expect(tx.isDropped).toBe(true);
    expect(tx.senderCount).toBe(0);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    expect(await rx.recv()).toBeUndefined();
    expect(await all).toEqual([1, 2]);
  });

  it('complete() drops only this handle: a clone keeps the channel open', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const tx2 = tx.clone();
    of(1).subscribe(tx);
    expect(tx.isDropped).toBe(true);
    expect(tx2.senderCount).toBe(1);
    tx2.send(2);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    expect(await stateOf(rx.recv())).toEqual({ state: 'pending' });
    tx2.drop();
  });

  it('error(e) makes receivers fail with e after reading what is left: recv rejects e, an Observable errors e', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const other = tx.subscribe();
    const boom = new Error('boom');
    const seen: number[] = [];
    let failed: unknown;
    other.subscribe({ next: (v) => seen.push(v), error: (e) => (failed = e) });
    concat(of(1, 2), throwError(() => boom)).subscribe(tx);
    expect(seen).toEqual([1, 2]);
    expect(failed).toBe(boom);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    await expect(rx.recv()).rejects.toBe(boom);
    await expect(rx.recv()).rejects.toBe(boom);
  });

  it('error(e) called directly fails a receiver that is already waiting', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const waiting = rx.recv();
    const boom = new Error('boom');
    tx.error(boom);
    expect(await stateOf(waiting)).toEqual({ state: 'rejected', reason: boom });
  });

  it.each([
    ['a function', (v: number) => v],
    ['an observer object', { next: () => {} }],
    ['null', null],
  ])('subscribe(%s) throws TypeError showing the argument (no-arg subscribe() still makes a receiver)', (_label, arg) => {
    const [tx] = broadcast.channel<number>(4);
    const subscribe = tx.subscribe as (this: unknown, ...args: unknown[]) => unknown;
    expect(() => subscribe.call(tx, arg)).toThrow(TypeError);
    expect(() => subscribe.call(tx, arg)).toThrow(/got `/);
    expect(tx.receiverCount).toBe(1);
    const rx = tx.subscribe();
    expect(tx.receiverCount).toBe(2);
    tx.send(1);
    expect(rx.tryRecv()).toBe(1);
  });
});
