import { from, lastValueFrom, toArray } from 'rxjs';
import { ChannelError, mpsc, SendError, SenderDroppedError } from 'rxjs-channel';
import { runChild } from '../heap/child-process.js';
import { stateOf } from '../helpers.js';

/** Rejection reason of a promise that must be settled after a flush. */
async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  const s = await stateOf(promise);
  if (s.state !== 'rejected') throw new Error(`expected a rejection, got ${s.state}`);
  return s.reason;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('Sender.send', () => {
  it('resolves at once while a slot is free', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    expect(await stateOf(tx.send(1))).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.length).toBe(1);
  });

  it('waits while the channel is full and resolves once a receive frees a slot', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    await tx.send(1);
    const second = tx.send(2);
    expect(await stateOf(second)).toEqual({ state: 'pending' });
    expect(rx.tryRecv()).toBe(1);
    expect(await stateOf(second)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.tryRecv()).toBe(2);
  });

  it('resolves waiting sends in FIFO order', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const order: number[] = [];
    const sends = [1, 2, 3].map((n) => tx.send(n).then(() => order.push(n)));
    for (let i = 0; i < 4; i++) await rx.recv();
    await Promise.all(sends);
    expect(order).toEqual([1, 2, 3]);
  });

  it('rejects with SendError carrying the value after the receiver closes', async () => {
    const [tx, rx] = mpsc.channel<{ id: number }>(1);
    rx.close();
    const value = { id: 7 };
    const reason = await reasonOf(tx.send(value));
    expect(reason).toBeInstanceOf(SendError);
    expect((reason as SendError<{ id: number }>).value).toBe(value);
  });

  it('rejects a waiting send with SendError carrying its value when the receiver closes during the wait', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend('kept');
    const waiting = tx.send('refused');
    rx.close();
    const reason = await reasonOf(waiting);
    expect(reason).toBeInstanceOf(SendError);
    expect((reason as SendError<string>).value).toBe('refused');
    expect(await rx.recv()).toBe('kept');
    expect(await rx.recv()).toBeUndefined();
  });

  it('rejects with the signal reason and never delivers the value when the signal aborts during the wait', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const reason = new Error('stop');
    const waiting = tx.send(2, { signal: ac.signal });
    ac.abort(reason);
    expect(await reasonOf(waiting)).toBe(reason);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1]);
  });

  it('rejects with the reason of an already-aborted signal even with free capacity', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const reason = new Error('already');
    expect(await reasonOf(tx.send(1, { signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(rx.length).toBe(0);
    expect(tx.capacity).toBe(4);
  });

  it('rejects TypeError showing the bad value for a signal that is not an AbortSignal, sending nothing', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const bad = { signal: 'nope' as unknown as AbortSignal };
    await expect(tx.send(1, bad)).rejects.toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `"nope"` (string)'));
    await expect(tx.reserve(bad)).rejects.toThrow(TypeError);
    expect(rx.length).toBe(0);
    expect(tx.capacity).toBe(1);
  });

  it('rejects SenderDroppedError on a dropped handle', async () => {
    const [tx] = mpsc.channel<number>(1);
    tx.drop();
    expect(await reasonOf(tx.send(1))).toBeInstanceOf(SenderDroppedError);
  });

  it('ignores `transfer` when the receiver is in this thread: the very object arrives, not detached', async () => {
    const [tx, rx] = mpsc.channel<ArrayBuffer>(1);
    const buffer = new ArrayBuffer(8);
    await tx.send(buffer, { transfer: [buffer] });
    expect(buffer.byteLength).toBe(8);
    expect(await rx.recv()).toBe(buffer);
  });

  it('with `transfer`, still honours the signal: an aborted one rejects with its reason and sends nothing', async () => {
    const [tx, rx] = mpsc.channel<ArrayBuffer>(1);
    const buffer = new ArrayBuffer(8);
    expect(await reasonOf(tx.send(buffer, { transfer: [buffer], signal: AbortSignal.abort('stop') }))).toBe('stop');
    expect(rx.length).toBe(0);
  });

  it('from a sender opened from a port, moves the `transfer` objects instead of cloning them', async () => {
    const [tx, rx] = mpsc.channel<ArrayBuffer>(2);
    const remote = mpsc.senderFromPort<ArrayBuffer>(tx.intoPort());
    const moved = new Uint8Array([1, 2, 3]).buffer;
    await remote.send(moved, { transfer: [moved] });
    expect(moved.byteLength).toBe(0); // detached here: it was transferred
    const cloned = new Uint8Array([4, 5]).buffer;
    await remote.send(cloned);
    expect(cloned.byteLength).toBe(2); // no transfer list: a copy went
    remote.drop();
    const got = await lastValueFrom(rx.pipe(toArray()));
    expect(got.map((b) => [...new Uint8Array(b)])).toEqual([[1, 2, 3], [4, 5]]);
  });
});

describe('Sender.trySend', () => {
  it('returns true when queued and false when full', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    expect(tx.trySend(1)).toBe(true);
    expect(tx.trySend(2)).toBe(true);
    expect(tx.trySend(3)).toBe(false);
    expect(rx.length).toBe(2);
  });

  it('throws SendError carrying the value when the receiver is closed', () => {
    const [tx, rx] = mpsc.channel<string>(2);
    rx.close();
    const e = thrown(() => tx.trySend('v'));
    expect(e).toBeInstanceOf(SendError);
    expect((e as SendError<string>).value).toBe('v');
  });

  it('throws SenderDroppedError on a dropped handle', () => {
    const [tx] = mpsc.channel<number>(2);
    tx.drop();
    expect(() => tx.trySend(1)).toThrow(SenderDroppedError);
  });
});

describe('Sender.reserve / tryReserve', () => {
  it('reserve resolves a permit that takes a slot and sends without waiting', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = await tx.reserve();
    expect(tx.capacity).toBe(1);
    permit.send(5);
    expect(tx.capacity).toBe(1);
    expect(rx.tryRecv()).toBe(5);
    expect(tx.capacity).toBe(2);
  });

  it('reserve waits while full and resolves when a slot frees', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const pending = tx.reserve();
    expect(await stateOf(pending)).toEqual({ state: 'pending' });
    rx.tryRecv();
    const s = await stateOf(pending);
    expect(s.state).toBe('fulfilled');
    expect(tx.capacity).toBe(0);
  });

  it('reserve rejects SendError when the receiver is closed or closes during the wait', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const waiting = tx.reserve();
    rx.close();
    expect(await reasonOf(waiting)).toBeInstanceOf(SendError);
    expect(await reasonOf(tx.reserve())).toBeInstanceOf(SendError);
  });

  it('reserve rejects with the reason of an already-aborted signal even with free capacity', async () => {
    const [tx] = mpsc.channel<number>(1);
    const reason = new Error('r');
    expect(await reasonOf(tx.reserve({ signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(tx.capacity).toBe(1);
  });

  it('tryReserve returns a permit, or undefined when full', () => {
    const [tx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve();
    expect(permit).toBeDefined();
    expect(tx.tryReserve()).toBeUndefined();
    expect(tx.trySend(1)).toBe(false);
  });

  it('tryReserve throws SendError when closed and SenderDroppedError when dropped', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const tx2 = tx.clone();
    tx2.drop();
    expect(() => tx2.tryReserve()).toThrow(SenderDroppedError);
    rx.close();
    expect(() => tx.tryReserve()).toThrow(SendError);
  });

  it('reserve rejects SenderDroppedError on a dropped handle', async () => {
    const [tx] = mpsc.channel<number>(1);
    tx.drop();
    expect(await reasonOf(tx.reserve())).toBeInstanceOf(SenderDroppedError);
  });
});

describe('Sender handles: clone, drop, dispose', () => {
  it('clone adds a strong handle; the channel ends only when every clone is dropped', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const tx2 = tx.clone();
    expect(tx.strongCount).toBe(2);
    expect(rx.senderCount).toBe(2);
    tx.drop();
    expect(rx.isClosed).toBe(false);
    const end = rx.recv();
    expect(await stateOf(end)).toEqual({ state: 'pending' });
    tx2.drop();
    expect(await stateOf(end)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.senderCount).toBe(0);
  });

  it('drop is idempotent: dropping twice releases one handle', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const tx2 = tx.clone();
    tx2.drop();
    tx2.drop();
    expect(rx.senderCount).toBe(1);
    expect(rx.isClosed).toBe(false);
    expect(tx2.isDropped).toBe(true);
    expect(tx.isDropped).toBe(false);
  });

  it('[Symbol.dispose] drops the handle, and a `using` scope drops it at its end', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    {
      using scoped = tx.clone();
      await scoped.send(1);
      expect(rx.senderCount).toBe(2);
    }
    expect(rx.senderCount).toBe(1);
    tx[Symbol.dispose]();
    tx[Symbol.dispose]();
    expect(rx.senderCount).toBe(0);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1]);
  });

  it('a dropped handle throws or rejects SenderDroppedError for every operation', async () => {
    const [tx] = mpsc.channel<number>(1);
    const keep = tx.clone();
    tx.drop();
    expect(() => tx.trySend(1)).toThrow(SenderDroppedError);
    expect(() => tx.tryReserve()).toThrow(SenderDroppedError);
    expect(() => tx.clone()).toThrow(SenderDroppedError);
    expect(() => tx.downgrade()).toThrow(SenderDroppedError);
    expect(() => tx.error(new Error('x'))).toThrow(SenderDroppedError);
    expect(() => tx.intoPort()).toThrow(SenderDroppedError);
    expect(await reasonOf(tx.send(1))).toBeInstanceOf(SenderDroppedError);
    expect(await reasonOf(tx.reserve())).toBeInstanceOf(SenderDroppedError);
    expect(keep.isClosed).toBe(false);
    expect(keep.strongCount).toBe(1); // the refused intoPort counted no sender
  });

  it('sends issued before drop still complete, and the end waits for them', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const pending = tx.send(2);
    tx.drop();
    expect(rx.isClosed).toBe(false);
    expect(await rx.recv()).toBe(1);
    expect(await stateOf(pending)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await rx.recv()).toBe(2);
    expect(rx.isClosed).toBe(true);
    expect(await rx.recv()).toBeUndefined();
  });
});

describe('Sender.intoPort (opened in this thread)', () => {
  it('moves the sender: the handle opened from the port sends into the channel, and its drop ends it', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const port = tx.intoPort();
    expect(port).toBeInstanceOf(MessagePort);
    const remote = mpsc.senderFromPort<number>(port);
    await remote.send(1);
    remote.drop();
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBeUndefined();
    expect(rx.senderCount).toBe(0);
  });

  it('consumes the local handle: it acts as dropped, and the port still counts it until opened and dropped', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const port = tx.intoPort();
    expect(tx.isDropped).toBe(true);
    expect(() => tx.trySend(1)).toThrow(SenderDroppedError);
    expect(await reasonOf(tx.send(1))).toBeInstanceOf(SenderDroppedError);
    expect(() => tx.intoPort()).toThrow(SenderDroppedError);
    tx.drop(); // a no-op: the port stands for the sender
    expect(rx.senderCount).toBe(1);
    expect(rx.isClosed).toBe(false);
    expect(rx.length).toBe(0);
    mpsc.senderFromPort<number>(port).drop();
    expect(await rx.recv()).toBeUndefined();
    expect(rx.senderCount).toBe(0);
  });
});

describe('Sender as an Observer', () => {
  it('next(v) sends v and returns the send promise', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    await tx.next(1);
    const waiting = tx.next(2);
    expect(await stateOf(waiting)).toEqual({ state: 'pending' });
    expect(await rx.recv()).toBe(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('complete() drops the handle', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.complete();
    expect(tx.isDropped).toBe(true);
    expect(rx.senderCount).toBe(0);
    expect(rx.isClosed).toBe(true);
  });

  it('source$.subscribe(tx) delivers every value and ends the channel on complete', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    from([1, 2, 3, 4, 5]).subscribe(tx);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1, 2, 3, 4, 5]);
  });

  it('next() returns a promise already marked handled: refused values cause no unhandled rejection', () => {
    // Runs in a plain Node process, where an unhandledRejection listener sees what a user's would.
    const result = runChild<{ unhandled: string[] }>('spec/mpsc/support/unhandled-child.mjs');
    expect(result.unhandled).toEqual(['control']);
  });

  it('next() still lets a caller that awaits it see the refusal', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const waiting = tx.next(1);
    rx.close();
    const reason = await reasonOf(waiting);
    expect(reason).toBeInstanceOf(SendError);
    expect((reason as SendError<number>).value).toBe(1);
  });

  it('error(e) makes the receiver drain what is buffered, then fail with e', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    tx.trySend(1);
    tx.trySend(2);
    const boom = new Error('boom');
    tx.error(boom);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    expect(await reasonOf(rx.recv())).toBe(boom);
    expect(await reasonOf(rx.recv())).toBe(boom);
  });

  it('error(e) rejects pending and future sends with SendError carrying their values', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const other = tx.clone();
    tx.trySend(1);
    const waiting = other.send(2);
    tx.error(new Error('x'));
    const r1 = await reasonOf(waiting);
    expect(r1).toBeInstanceOf(SendError);
    expect((r1 as SendError<number>).value).toBe(2);
    const r2 = await reasonOf(other.send(3));
    expect((r2 as SendError<number>).value).toBe(3);
    expect(() => other.trySend(4)).toThrow(SendError);
    expect(rx.length).toBe(1);
  });

  it('error(e) does not drop the calling handle; afterwards isClosed is true and closed() resolves', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.error(new Error('x'));
    expect(tx.isDropped).toBe(false);
    expect(tx.strongCount).toBe(1);
    expect(tx.isClosed).toBe(true);
    expect(rx.isClosed).toBe(true);
    expect(await stateOf(tx.closed())).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('the first error/close wins', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const first = new Error('first');
    tx.error(first);
    tx.error(new Error('second'));
    rx.close();
    expect(await reasonOf(rx.recv())).toBe(first);

    const [tx2, rx2] = mpsc.channel<number>(1);
    rx2.close();
    tx2.error(new Error('late'));
    expect(await rx2.recv()).toBeUndefined();
  });

  it('permits granted before error(e) may still send, and the error comes after their values', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    const boom = new Error('boom');
    tx.error(boom);
    expect(rx.isClosed).toBe(false);
    const next = rx.recv();
    expect(await stateOf(next)).toEqual({ state: 'pending' });
    permit.send(9);
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: 9 });
    expect(await reasonOf(rx.recv())).toBe(boom);
  });
});

describe('Sender state', () => {
  it('closed() resolves when the receiver closes', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const closed = tx.closed();
    expect(await stateOf(closed)).toEqual({ state: 'pending' });
    rx.close();
    expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(tx.closed())).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('closed() resolves when the receiver is disposed', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const closed = tx.closed();
    {
      using _scoped = rx;
    }
    expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('closed() stays pending when every sender is dropped (that is not a receiver close)', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const closed = tx.closed();
    const weak = tx.downgrade();
    tx.drop();
    expect(await stateOf(closed)).toEqual({ state: 'pending' });
    expect(rx.isClosed).toBe(true);
    weak.drop();
  });

  it('isClosed turns true once the receiver closes', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    expect(tx.isClosed).toBe(false);
    rx.close();
    expect(tx.isClosed).toBe(true);
  });

  it('capacity counts free slots: buffered values and permits take them', () => {
    const [tx, rx] = mpsc.channel<number>(3);
    expect(tx.capacity).toBe(3);
    tx.trySend(1);
    expect(tx.capacity).toBe(2);
    const permit = tx.tryReserve()!;
    expect(tx.capacity).toBe(1);
    permit.release();
    rx.tryRecv();
    expect(tx.capacity).toBe(3);
    expect(tx.maxCapacity).toBe(3);
  });

  it('sameChannel tells whether a sender or weak sender belongs to the same channel', () => {
    const [tx] = mpsc.channel<number>(1);
    const [other] = mpsc.channel<number>(1);
    expect(tx.sameChannel(tx.clone())).toBe(true);
    expect(tx.sameChannel(tx.downgrade())).toBe(true);
    expect(tx.sameChannel(other)).toBe(false);
    expect(tx.sameChannel(other.downgrade())).toBe(false);
  });

  it('strongCount and weakCount follow clone, downgrade and drop', () => {
    const [tx] = mpsc.channel<number>(1);
    expect([tx.strongCount, tx.weakCount]).toEqual([1, 0]);
    const tx2 = tx.clone();
    const w = tx.downgrade();
    expect([tx.strongCount, tx.weakCount]).toEqual([2, 1]);
    w.drop();
    tx2.drop();
    expect([tx.strongCount, tx.weakCount]).toEqual([1, 0]);
  });

  it('downgrade returns a WeakSender that upgrades to a working sender', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const weak = tx.downgrade();
    const up = weak.upgrade()!;
    await up.send(1);
    expect(await rx.recv()).toBe(1);
  });

  it('a permit send is a ChannelError on second use', () => {
    const [tx] = mpsc.channel<number>(1);
    const permit = tx.tryReserve()!;
    permit.send(1);
    expect(() => permit.send(2)).toThrow(ChannelError);
  });
});

describe('seams: Sender.pendingSends', () => {
  it('counts the sends and reserves waiting for a slot, on every clone; an abort or a close takes them off', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const tx2 = tx.clone();
    expect(tx.pendingSends).toBe(0);
    tx.trySend(0);
    const controller = new AbortController();
    const aborted = tx.send(1, { signal: controller.signal });
    const reserved = tx2.reserve();
    const sent = tx2.send(2);
    expect([tx.pendingSends, tx2.pendingSends, rx.pendingSends]).toEqual([3, 3, 3]);
    controller.abort('stop');
    expect(await stateOf(aborted)).toEqual({ state: 'rejected', reason: 'stop' });
    expect(tx.pendingSends).toBe(2);
    rx.close();
    expect(tx.pendingSends).toBe(0);
    expect((await stateOf(reserved)).state).toBe('rejected');
    expect((await stateOf(sent)).state).toBe('rejected');
  });
});
