import { Chan, RECV_ITER, RECV_MANY, RECV_VALUE, RESOLVED, type ChanConfig } from '../../lib/internal/chan.js';
import { flush, stateOf } from '../helpers.js';

const config: ChanConfig<number, { permit: true }> = {
  overflow: 'wait',
  onDrop: undefined,
  maxPendingSends: Infinity,
  permit: () => ({ permit: true }),
};

function recorder(): { values: unknown[]; next(v: unknown): void; error(e: unknown): void; complete(): void } {
  const values: unknown[] = [];
  return {
    values,
    next: (v) => void values.push(v),
    error: (e) => void values.push(['error', e]),
    complete: () => void values.push('complete'),
  };
}

describe('Chan', () => {
  it('send allocates no promise while a slot is free: it returns the shared resolved promise', () => {
    const chan = new Chan<number>(2, config);
    expect(chan.send(1, undefined)).toBe(RESOLVED);
    expect(chan.send(2, undefined)).toBe(RESOLVED);
    const waiting = chan.send(3, undefined);
    expect(waiting).not.toBe(RESOLVED);
    waiting.catch(() => {});
  });

  it('send allocates no promise while a sink drains: the value is delivered in the same step', () => {
    const chan = new Chan<number>(1, config);
    const sink = recorder();
    chan.sink = sink;
    for (let i = 0; i < 5; i++) {
      expect(chan.send(i, undefined)).toBe(RESOLVED);
      expect(chan.length).toBe(0);
    }
    expect(sink.values).toEqual([0, 1, 2, 3, 4]);
  });

  it('attaching a sink delivers what is buffered, then keeps the buffer empty', () => {
    const chan = new Chan<number>(4, config);
    chan.trySend(1);
    chan.trySend(2);
    const sink = recorder();
    chan.sink = sink;
    expect(sink.values).toEqual([1, 2]);
    expect(chan.length).toBe(0);
    chan.trySend(3);
    expect(chan.length).toBe(0);
    expect(sink.values).toEqual([1, 2, 3]);
  });

  it('a sink that sends from inside next gets those values after the current one, in order', () => {
    const chan = new Chan<number>(4, config);
    const seen: number[] = [];
    chan.sink = {
      next: (v) => {
        seen.push(v);
        if (v === 1) {
          chan.trySend(2);
          chan.trySend(3);
          expect(seen).toEqual([1]); // not re-entered
        }
      },
      error: () => {},
      complete: () => {},
    };
    chan.trySend(1);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a sink detached from inside next leaves the remaining values buffered', () => {
    const chan = new Chan<number>(4, config);
    chan.trySend(1);
    chan.trySend(2);
    const seen: number[] = [];
    chan.sink = {
      next: (v) => {
        seen.push(v);
        chan.sink = null;
      },
      error: () => {},
      complete: () => {},
    };
    expect(seen).toEqual([1]);
    expect(chan.length).toBe(1);
  });

  it('a sink whose next throws gets the error as its error; the sender does not, and the channel stays usable', () => {
    const chan = new Chan<number>(4, config);
    const errors: unknown[] = [];
    chan.sink = {
      next: (v) => {
        if (v === 1) throw new Error('sink bug');
      },
      error: (e) => errors.push(e),
      complete: () => {},
    };
    expect(chan.trySend(1)).toBe(true);
    expect(errors).toEqual([new Error('sink bug')]);
    chan.sink = null;
    expect(chan.trySend(2)).toBe(true);
    expect(chan.tryRecv()).toBe(2);
  });

  it('completes the sink once finished and drained, or errors it with the reason', () => {
    const done = new Chan<number>(2, config);
    const a = recorder();
    done.trySend(1);
    done.sink = a;
    done.dropSender();
    expect(a.values).toEqual([1, 'complete']);
    expect(done.sink).toBeNull();

    const failed = new Chan<number>(2, config);
    const b = recorder();
    failed.trySend(1);
    failed.error('boom');
    failed.sink = b;
    expect(b.values).toEqual([1, ['error', 'boom']]);
  });

  it('hands a value to a waiting receive in the same step: it never touches the buffer', async () => {
    const chan = new Chan<number>(1, config);
    const value = chan.recv(RECV_VALUE, undefined);
    const iter = chan.recv(RECV_ITER, undefined);
    const many = chan.recv(RECV_MANY, undefined, 3);
    expect(chan.pendingRecvs).toBe(3);
    chan.trySend(1);
    chan.trySend(2);
    chan.trySend(3);
    expect(chan.length).toBe(0);
    expect(chan.pendingRecvs).toBe(0);
    expect(await value).toBe(1);
    expect(await iter).toEqual({ value: 2, done: false });
    expect(await many).toEqual([3]);
  });

  it('ends each pending receive with the end value of its mode', async () => {
    const chan = new Chan<number>(1, config);
    const value = chan.recv(RECV_VALUE, undefined);
    const iter = chan.recv(RECV_ITER, undefined);
    const many = chan.recv(RECV_MANY, undefined, 3);
    chan.dropSender();
    expect(await value).toBeUndefined();
    expect(await iter).toEqual({ value: undefined, done: true });
    expect(await many).toEqual([]);
  });

  it('cancelRecvs ends pending receives without ending the channel', async () => {
    const chan = new Chan<number>(1, config);
    const iter = chan.recv(RECV_ITER, undefined);
    chan.cancelRecvs();
    expect(await iter).toEqual({ value: undefined, done: true });
    expect(chan.isFinished).toBe(false);
    chan.trySend(1);
    expect(chan.tryRecv()).toBe(1);
  });

  it('isFinished waits for waiting sends and granted permits; isDone also for the buffer', async () => {
    const chan = new Chan<number>(1, config);
    chan.trySend(1);
    const waiting = chan.send(2, undefined);
    chan.dropSender();
    expect([chan.isFinished, chan.isDone]).toEqual([false, false]);
    expect(chan.tryRecv()).toBe(1);
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: undefined });
    expect([chan.isFinished, chan.isDone]).toEqual([true, false]);
    expect(chan.tryRecv()).toBe(2);
    expect([chan.isFinished, chan.isDone]).toEqual([true, true]);

    const held = new Chan<number>(1, config);
    expect(held.tryReserve()).toEqual({ permit: true });
    held.close();
    expect(held.isFinished).toBe(false);
    held.releasePermit();
    expect(held.isFinished).toBe(true);
  });

  it('keeps length + reserved within the bound and queues senders only while no slot is free', async () => {
    const chan = new Chan<number>(2, config);
    chan.tryReserve();
    chan.trySend(1);
    const waiting = [chan.send(2, undefined), chan.reserve(undefined)];
    expect(chan.length + chan.permits).toBe(2);
    expect(chan.pendingSends).toBe(2);
    chan.releasePermit(); // slot to the send
    expect(chan.pendingSends).toBe(1);
    expect(chan.length + chan.permits).toBe(2);
    chan.tryRecv(); // slot to the reserve
    expect(chan.pendingSends).toBe(0);
    expect(chan.length + chan.permits).toBe(2);
    await flush();
    expect((await stateOf(waiting[1]!)).state).toBe('fulfilled');
  });

  it('closed() is shared while open and resolves on close', async () => {
    const chan = new Chan<number>(1, config);
    const a = chan.closed();
    expect(chan.closed()).toBe(a);
    expect(await stateOf(a)).toEqual({ state: 'pending' });
    chan.close();
    expect(await stateOf(a)).toEqual({ state: 'fulfilled', value: undefined });
    expect(chan.closed()).toBe(RESOLVED);
  });
});

describe('Chan.requeue (values a gone consumer was handed and had not taken)', () => {
  /** Takes `count` values out as a moved receiver's host does: each keeps its slot, lent. */
  function lendOut(chan: Chan<number>, count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      chan.taken++;
      out.push(chan.tryRecv()!);
      chan.lent++;
    }
    return out;
  }

  it('puts them ahead of the values still buffered, oldest first, each in its own slot again', () => {
    const chan = new Chan<number>(5, config);
    for (let i = 0; i < 5; i++) chan.trySend(i);
    const handed = lendOut(chan, 3);
    expect([chan.length, chan.lent, chan.free]).toEqual([2, 3, 0]);
    chan.requeue(handed);
    expect([chan.length, chan.lent, chan.free]).toEqual([5, 0, 0]);
    expect([0, 1, 2, 3, 4].map(() => chan.tryRecv())).toEqual([0, 1, 2, 3, 4]);
    expect(chan.free).toBe(5);
  });

  it('with nothing buffered, hands them to a waiting receive and the rest to the buffer, in order', async () => {
    const chan = new Chan<number>(3, config);
    for (let i = 0; i < 3; i++) chan.trySend(i);
    const handed = lendOut(chan, 3);
    const received = chan.recv(RECV_VALUE, undefined) as Promise<unknown>;
    chan.requeue(handed);
    expect(await received).toBe(0);
    expect([chan.length, chan.lent, chan.free]).toEqual([2, 0, 1]);
    expect([chan.tryRecv(), chan.tryRecv()]).toEqual([1, 2]);
  });

  it('a sink attached afterwards gets them ahead of what is buffered', async () => {
    const chan = new Chan<number>(4, config);
    for (let i = 0; i < 4; i++) chan.trySend(i);
    const handed = lendOut(chan, 2);
    chan.requeue(handed);
    const sink = recorder();
    chan.sink = sink;
    await flush();
    expect(sink.values).toEqual([0, 1, 2, 3]);
  });

  it('does nothing for no values', () => {
    const chan = new Chan<number>(2, config);
    chan.trySend(7);
    chan.requeue([]);
    expect([chan.length, chan.lent, chan.free]).toEqual([1, 0, 1]);
  });
});
