import { ChannelOverflowError, SendError, mpsc } from '../../lib/index.js';
import { Chan, type ChanConfig } from '../../lib/internal/chan.js';

// The shared channel state behind mpsc and mpmc, at its seams: the waiting-send bound, the
// synchronous hand-off to a subscriber and the re-entrant settle loop, the open recvMany batch.

describe('Chan: waiting sends beyond maxPendingSends', () => {
  it('rejects a send that finds no slot and no room to wait with ChannelOverflowError carrying the value', async () => {
    const [tx] = mpsc.channel<number>(1, { maxPendingSends: 0 });
    await tx.send(1);
    const error: unknown = await tx.send(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelOverflowError);
    expect((error as ChannelOverflowError<number>).value).toBe(2);
    expect((error as Error).message).toBe('too many sends are already waiting');
  });

  it('rejects a reserve that finds no slot and no room to wait with ChannelOverflowError', async () => {
    const [tx] = mpsc.channel<number>(1, { maxPendingSends: 0 });
    await tx.send(1);
    const error: unknown = await tx.reserve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelOverflowError);
    expect((error as ChannelOverflowError).value).toBeUndefined();
    expect((error as Error).message).toBe('too many sends are already waiting');
  });
});

describe('Chan: delivery to a subscriber', () => {
  it('delivers a value sent from inside next after next returns, not nested inside it', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const log: string[] = [];
    rx.subscribe({
      next: (v) => {
        log.push(`start ${v}`);
        if (v === 1) tx.trySend(2);
        log.push(`end ${v}`);
      },
    });
    tx.trySend(1);
    expect(log).toStrictEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('completes the subscriber that closes the receiver from inside next, once next returns', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const log: string[] = [];
    rx.subscribe({
      next: (v) => {
        log.push(`next ${v}`);
        rx.close();
        log.push('closed');
      },
      complete: () => void log.push('complete'),
    });
    tx.trySend(1);
    expect(log).toStrictEqual(['next 1', 'closed', 'complete']);
  });

  it('delivers buffered values in order when the subscriber closes the receiver while taking the first', () => {
    const [tx, rx] = mpsc.channel<number>(4);
    tx.trySend(1);
    tx.trySend(2);
    tx.trySend(3);
    const log: string[] = [];
    rx.subscribe({
      next: (v) => {
        log.push(`start ${v}`);
        if (v === 1) rx.close();
        log.push(`end ${v}`);
      },
      complete: () => void log.push('complete'),
    });
    expect(log).toStrictEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3', 'complete']);
  });

  it('keeps refusing sends after a permit granted before close is sent to a subscriber', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = await tx.reserve();
    rx.close();
    const seen: unknown[] = [];
    rx.subscribe({ next: (v) => void seen.push(v), complete: () => void seen.push('complete') });
    permit.send(1);
    expect(seen).toStrictEqual([1, 'complete']);
    expect(() => tx.trySend(2)).toThrow(SendError);
  });

  it('hands a value straight to the attached sink without waking a receive registration: nothing was buffered', () => {
    // Through the public API (an mpmc subscriber beside a select on another handle) such a wake
    // is only spurious work, so the Chan's own contract is pinned here.
    const config: ChanConfig<number> = { overflow: 'wait', onDrop: undefined, maxPendingSends: Infinity, permit: () => ({}) };
    const chan = new Chan<number>(4, config);
    const seen: number[] = [];
    chan.sink = { next: (v) => void seen.push(v), error: () => {}, complete: () => {} };
    const wake = jest.fn();
    chan.watchRecv(wake);
    chan.trySend(1);
    expect(seen).toStrictEqual([1]);
    expect(wake).not.toHaveBeenCalled();
  });
});

describe('Chan: when the receiving side counts as closed', () => {
  it('is not closed while a send issued before the last sender dropped still waits for a slot', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const waiting = tx.send(2);
    tx.drop();
    expect(rx.isClosed).toBe(false);
    expect(rx.tryRecv()).toBe(1);
    await waiting;
    expect(rx.tryRecv()).toBe(2);
    expect(rx.isClosed).toBe(true);
  });
});

describe('Chan: select registrations', () => {
  it('does not call a receive wake that was cancelled', () => {
    const config: ChanConfig<number> = { overflow: 'wait', onDrop: undefined, maxPendingSends: Infinity, permit: () => ({}) };
    const chan = new Chan<number>(4, config);
    const kept = jest.fn();
    const cancelled = jest.fn();
    chan.watchRecv(kept);
    const cancel = chan.watchRecv(cancelled);
    cancel();
    chan.trySend(1);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
  });
});

describe('Chan: a woken recvMany', () => {
  it('takes no more than its limit of 1 when values arrive before it resumes', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const batch = rx.recvMany(1);
    tx.trySend(1);
    tx.trySend(2);
    await expect(batch).resolves.toStrictEqual([1]);
    expect(rx.tryRecv()).toBe(2);
  });

  it('takes values that arrive before it resumes, up to its limit', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const batch = rx.recvMany(2);
    tx.trySend(1);
    tx.trySend(2);
    tx.trySend(3);
    await expect(batch).resolves.toStrictEqual([1, 2]);
    expect(rx.tryRecv()).toBe(3);
  });
});
