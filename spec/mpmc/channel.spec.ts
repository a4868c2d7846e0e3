import { ChannelError, ChannelOverflowError, mpmc, mpsc, ReceiverDroppedError, SendError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('mpmc.channel', () => {
  it('returns a connected [Sender, Receiver] pair', async () => {
    const [tx, rx] = mpmc.channel<string>(2);
    await tx.send('a');
    expect(await rx.recv()).toBe('a');
  });

  it('holds exactly `capacity` values and reports it on both sides', () => {
    const [tx, rx] = mpmc.channel<number>(3);
    expect([tx.maxCapacity, rx.maxCapacity, tx.capacity]).toEqual([3, 3, 3]);
    expect([1, 2, 3, 4].map((n) => tx.trySend(n))).toEqual([true, true, true, false]);
    expect(rx.length).toBe(3);
    expect(rx.clone().length).toBe(3);
  });

  it.each([0, -1, 2.5, NaN, Infinity])('throws RangeError showing the bad capacity %p', (capacity) => {
    expect(() => mpmc.channel(capacity)).toThrow(RangeError);
    expect(() => mpmc.channel(capacity)).toThrow(`got \`${String(capacity)}\` (number)`);
  });

  it('throws TypeError showing a capacity that is not a number', () => {
    expect(() => mpmc.channel('4' as unknown as number)).toThrow(TypeError);
    expect(() => mpmc.channel('4' as unknown as number)).toThrow('got `"4"` (string)');
  });

  it('uses the same Sender class as mpsc, with its whole API', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const [mpscTx] = mpsc.channel<number>(1);
    expect(Object.getPrototypeOf(tx)).toBe(Object.getPrototypeOf(mpscTx));
    const permit = await tx.reserve();
    expect(tx.trySend(9)).toBe(false);
    permit.send(1);
    const weak = tx.downgrade();
    expect(tx.weakCount).toBe(1);
    weak.drop();
    expect(await rx.recv()).toBe(1);
  });

  it('makes senders wait while full and serves them FIFO as receivers on any handle free slots', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const rx2 = rx.clone();
    tx.trySend(0);
    const first = tx.send(1);
    const second = tx.send(2);
    expect(await stateOf(first)).toEqual({ state: 'pending' });
    expect(rx2.tryRecv()).toBe(0);
    expect(await stateOf(first)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(second)).toEqual({ state: 'pending' });
    expect(tx.trySend(99)).toBe(false);
    expect(await rx.recv()).toBe(1);
    expect(await stateOf(second)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await rx2.recv()).toBe(2);
  });
});

describe('mpmc.unboundedChannel', () => {
  it('never waits, reports Infinity and keeps FIFO order', async () => {
    const [tx, rx] = mpmc.unboundedChannel<number>();
    for (let i = 0; i < 1000; i++) expect(tx.trySend(i)).toBe(true);
    expect([tx.capacity, rx.maxCapacity]).toEqual([Infinity, Infinity]);
    tx.drop();
    const got: number[] = [];
    for await (const v of rx) got.push(v);
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('mpmc ending and closing', () => {
  it('ends every handle once every sender is dropped and the buffer is drained', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const rx2 = rx.clone();
    const tx2 = tx.clone();
    tx.trySend(1);
    const waiting = rx2.recv();
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: 1 });
    const a = rx.recv();
    const b = rx2.recv();
    tx.drop();
    expect(await stateOf(a)).toEqual({ state: 'pending' });
    expect(rx.isClosed).toBe(false);
    tx2.drop();
    expect(await stateOf(a)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(b)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.isClosed).toBe(true);
    expect(await rx2.recvMany(4)).toEqual([]);
  });

  it('fails every handle with the reason of error(e), after draining', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const rx2 = rx.clone();
    tx.trySend(1);
    const boom = new Error('boom');
    tx.error(boom);
    expect(await rx2.recv()).toBe(1);
    await expect(rx.recv()).rejects.toBe(boom);
    await expect(rx2.recv()).rejects.toBe(boom);
  });

  it('stays open for senders while any receiver handle is alive', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const rx2 = rx.clone();
    rx.drop();
    expect(tx.isClosed).toBe(false);
    await tx.send(1);
    expect(await rx2.recv()).toBe(1);
  });

  it('closes for senders when the last receiver handle is dropped: sends reject SendError carrying the value', async () => {
    const [tx, rx] = mpmc.channel<string>(1);
    const rx2 = rx.clone();
    tx.trySend('buffered');
    const pending = tx.send('waiting');
    const closed = tx.closed();
    rx.drop();
    expect(await stateOf(closed)).toEqual({ state: 'pending' });
    rx2.drop();
    expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
    const state = await stateOf(pending);
    expect(state.state).toBe('rejected');
    expect((state as { reason: SendError<string> }).reason).toBeInstanceOf(SendError);
    expect((state as { reason: SendError<string> }).reason.value).toBe('waiting');
    expect(() => tx.trySend('later')).toThrow(SendError);
    expect(tx.isClosed).toBe(true);
  });

  it('close() closes for everyone and keeps buffered values receivable from any handle', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const rx2 = rx.clone();
    tx.trySend(1);
    tx.trySend(2);
    rx.close();
    rx.close();
    expect(tx.isClosed).toBe(true);
    await expect(tx.send(3)).rejects.toBeInstanceOf(SendError);
    expect(await rx2.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    expect(await rx2.recv()).toBeUndefined();
    expect(rx.receiverCount).toBe(2);
  });

  it('does not end while a granted permit is outstanding', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const permit = tx.tryReserve()!;
    tx.drop();
    const next = rx.clone().recv();
    expect(await stateOf(next)).toEqual({ state: 'pending' });
    permit.send(5);
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: 5 });
    expect(await rx.recv()).toBeUndefined();
  });
});

describe('mpmc receiver handles', () => {
  it('counts handles through clone() and drop(); drop() is idempotent', () => {
    const [, rx] = mpmc.channel<number>(1);
    const rx2 = rx.clone();
    const rx3 = rx2.clone();
    expect(rx.receiverCount).toBe(3);
    rx3.drop();
    rx3.drop();
    expect([rx.receiverCount, rx3.isDropped, rx2.isDropped]).toEqual([2, true, false]);
  });

  it('releases a handle at the end of a `using` scope', () => {
    const [tx, rx] = mpmc.channel<number>(1);
    {
      using clone = rx.clone();
      expect(clone.receiverCount).toBe(2);
    }
    expect(rx.receiverCount).toBe(1);
    {
      using last = rx;
      expect(last.isDropped).toBe(false);
    }
    expect(tx.isClosed).toBe(true);
  });

  it('throws ReceiverDroppedError when a dropped handle is cloned', () => {
    const [, rx] = mpmc.channel<number>(1);
    const keep = rx.clone();
    rx.drop();
    expect(() => rx.clone()).toThrow(ReceiverDroppedError);
    expect(() => rx.clone()).toThrow(ChannelError);
    expect(() => rx.clone()).toThrow('this receiver handle was dropped');
    expect(keep.receiverCount).toBe(1);
  });

  it('a dropped handle sees the end and takes nothing from the other handles', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const keep = rx.clone();
    tx.trySend(1);
    rx.drop();
    expect(rx.tryRecv()).toBeUndefined();
    expect(await rx.recv()).toBeUndefined();
    expect(await rx.recvMany(2)).toEqual([]);
    const seen: number[] = [];
    for await (const v of rx) seen.push(v);
    let completed = false;
    rx.subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    expect(seen).toEqual([]);
    expect(completed).toBe(true);
    expect(await keep.recv()).toBe(1);
  });

  it('drop() ends the handle’s own waiting receive and leaves the next value to the other handles', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const other = rx.clone();
    const mine = rx.recv();
    const theirs = other.recv();
    rx.drop();
    expect(await stateOf(mine)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(theirs)).toEqual({ state: 'pending' });
    tx.trySend(7);
    expect(await stateOf(theirs)).toEqual({ state: 'fulfilled', value: 7 });
  });

  it('drop() completes the handle’s own subscribers and finishes its iterators; other handles keep consuming', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const other = rx.clone();
    let completed = false;
    rx.subscribe({ complete: () => (completed = true) });
    const iterator = rx[Symbol.asyncIterator]();
    const pendingNext = iterator.next();
    const otherGot: number[] = [];
    other.subscribe((v) => otherGot.push(v));
    rx.drop();
    expect(completed).toBe(true);
    expect(await stateOf(pendingNext)).toEqual({ state: 'fulfilled', value: { value: undefined, done: true } });
    tx.trySend(1);
    tx.trySend(2);
    expect(otherGot).toEqual([1, 2]);
  });

  it('an aborted recv rejects with the reason and loses no value', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const controller = new AbortController();
    const aborted = rx.recv({ signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    tx.trySend(3);
    expect(await rx.clone().recv()).toBe(3);
    await expect(rx.recv({ signal: AbortSignal.abort('early') })).rejects.toBe('early');
  });

  it('an abort after the hand-off changes nothing', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const controller = new AbortController();
    const next = rx.recv({ signal: controller.signal });
    tx.trySend(4);
    controller.abort(new Error('too late'));
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: 4 });
  });

  it('recvMany takes up to `limit` buffered values and rejects a bad limit with RangeError', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    expect(await rx.recvMany(2)).toEqual([1, 2]);
    expect(await rx.clone().recvMany(5)).toEqual([3]);
    const waiting = rx.recvMany(3);
    tx.trySend(4);
    expect(await waiting).toEqual([4]);
    await expect(rx.recvMany(0)).rejects.toThrow(RangeError);
    await expect(rx.recvMany(0)).rejects.toThrow('got `0` (number)');
  });

  it('reports length, isEmpty and senderCount shared by every handle', () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const rx2 = rx.clone();
    tx.clone();
    expect([rx.isEmpty, rx2.senderCount]).toEqual([true, 2]);
    tx.trySend(1);
    expect([rx2.length, rx2.isEmpty]).toEqual([1, false]);
  });
});

describe('seams: mpmc.channel takes the mpsc options (overflow, onDrop, maxPendingSends)', () => {
  const drain = (rx: mpmc.Receiver<number>): number[] => {
    const out: number[] = [];
    for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) out.push(v);
    return out;
  };

  it("'dropOldest' never waits: it evicts the oldest buffered value and reports it to onDrop", async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpmc.channel<number>(2, { overflow: 'dropOldest', onDrop: (v) => dropped.push(v) });
    for (const n of [1, 2, 3]) expect(tx.trySend(n)).toBe(true);
    expect(await stateOf(tx.send(4))).toEqual({ state: 'fulfilled', value: undefined });
    expect(dropped).toEqual([1, 2]);
    expect(drain(rx.clone())).toEqual([3, 4]);
  });

  it("'dropNewest' never waits: it discards the new value (trySend returns false) and reports it to onDrop", async () => {
    const dropped: number[] = [];
    const [tx, rx] = mpmc.channel<number>(1, { overflow: 'dropNewest', onDrop: (v) => dropped.push(v) });
    expect(tx.trySend(1)).toBe(true);
    expect(tx.trySend(2)).toBe(false);
    expect(await stateOf(tx.send(3))).toEqual({ state: 'fulfilled', value: undefined });
    expect(dropped).toEqual([2, 3]);
    expect(drain(rx)).toEqual([1]);
  });

  it('maxPendingSends rejects the next send at once with ChannelOverflowError carrying the value', async () => {
    const [tx, rx] = mpmc.channel<number>(1, { maxPendingSends: 1 });
    tx.trySend(1);
    const waiting = tx.send(2);
    const refused = await stateOf(tx.send(3));
    expect(refused.state).toBe('rejected');
    expect((refused as { reason: unknown }).reason).toBeInstanceOf(ChannelOverflowError);
    expect(((refused as { reason: unknown }).reason as ChannelOverflowError<number>).value).toBe(3);
    expect(await rx.recv()).toBe(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('an onDrop that throws makes send reject (never throw) with its error and trySend throw it; nothing new is queued', async () => {
    const boom = new Error('onDrop failed');
    const [tx, rx] = mpmc.channel<number>(2, {
      overflow: 'dropOldest',
      onDrop: () => {
        throw boom;
      },
    });
    tx.trySend(1);
    tx.trySend(2);
    let sent: Promise<void> | undefined;
    expect(() => (sent = tx.send(3))).not.toThrow();
    expect(await stateOf(sent!)).toEqual({ state: 'rejected', reason: boom });
    // 1 stays evicted, 3 was not queued: the evicted value's slot is free again
    expect(tx.trySend(4)).toBe(true);
    expect(() => tx.trySend(5)).toThrow(boom);
    expect(drain(rx)).toEqual([4]);
  });

  it('throws RangeError/TypeError showing a malformed option, as mpsc does', () => {
    expect(() => mpmc.channel(1, { overflow: 'dropAll' as never })).toThrow(RangeError);
    expect(() => mpmc.channel(1, { overflow: 'dropAll' as never })).toThrow(/"dropAll"/);
    expect(() => mpmc.channel(1, { onDrop: 'f' as never })).toThrow(new TypeError('Expected `onDrop` to be a function, got `"f"` (string)'));
    expect(() => mpmc.channel(1, { maxPendingSends: -1 })).toThrow(RangeError);
    expect(() => mpmc.channel(1, 'wait' as never)).toThrow(TypeError);
  });
});
