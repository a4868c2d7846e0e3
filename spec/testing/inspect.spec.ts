import { broadcast, mpmc, mpsc, oneshot, watch } from 'rxjs-channel';
import { expectIdle, flush, inspect } from 'rxjs-channel/testing';

const base = { buffered: 0, pendingSends: 0, waitingReceives: 0, permits: 0, senders: 1, closed: false };

describe('inspect', () => {
  it('shows an mpsc channel from both halves: buffered, waiting sends, permits, senders', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    const permit = tx.tryReserve()!;
    const blocked = tx.send(2);
    const tx2 = tx.clone();
    expect(inspect(rx)).toEqual({ ...base, kind: 'mpsc', side: 'receiver', buffered: 1, pendingSends: 1, permits: 1, senders: 2 });
    expect(inspect(tx)).toEqual({ ...base, kind: 'mpsc', side: 'sender', buffered: 1, pendingSends: 1, permits: 1, senders: 2 });
    permit.release(); // the slot goes to the waiting send
    await blocked;
    tx.drop();
    tx2.drop();
    expect(inspect(rx)).toEqual({ ...base, kind: 'mpsc', side: 'receiver', buffered: 2, senders: 0, closed: true });
    expect(inspect(tx)).toMatchObject({ senders: 0, closed: false }); // the receiving side is open
  });

  it('counts the waiting receives of an mpsc receiver and of mpmc clones', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const waiting = rx.recv();
    expect(inspect(rx).waitingReceives).toBe(1);
    await tx.send(7);
    await expect(waiting).resolves.toBe(7);
    expect(inspect(rx).waitingReceives).toBe(0);

    const [mtx, mrx] = mpmc.channel<number>(1);
    const mrx2 = mrx.clone();
    const a = mrx.recv();
    const b = mrx2.recv();
    expect(inspect(mrx)).toEqual({ ...base, kind: 'mpmc', side: 'receiver', waitingReceives: 2 });
    expect(inspect(mtx)).toMatchObject({ kind: 'mpsc', side: 'sender', waitingReceives: 2 }); // mpmc's sender is mpsc's class
    mtx.drop();
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
    expect(inspect(mrx2)).toMatchObject({ waitingReceives: 0, senders: 0, closed: true });
  });

  it('shows broadcast: what the slowest receiver holds, what each receiver has not read', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const rx2 = tx.subscribe();
    tx.send(1);
    tx.send(2);
    rx2.tryRecv();
    expect(inspect(tx)).toEqual({ ...base, kind: 'broadcast', side: 'sender', buffered: 2 });
    expect(inspect(rx)).toEqual({ ...base, kind: 'broadcast', side: 'receiver', buffered: 2 });
    expect(inspect(rx2)).toEqual({ ...base, kind: 'broadcast', side: 'receiver', buffered: 1 });
    rx2.tryRecv();
    const waiting = rx2.recv();
    expect(inspect(rx2).waitingReceives).toBe(1);
    tx.drop();
    await expect(waiting).resolves.toBeUndefined();
    expect(inspect(rx2)).toMatchObject({ buffered: 0, waitingReceives: 0, senders: 0, closed: true });
    rx.drop();
    rx2.drop();
    expect(inspect(tx)).toMatchObject({ closed: true, buffered: 0 });
  });

  it('shows watch: an unseen version as one buffered value, changed() waits as receives', async () => {
    const [tx, rx] = watch.channel('a');
    expect(inspect(rx)).toEqual({ ...base, kind: 'watch', side: 'receiver' });
    tx.send('b');
    expect(inspect(rx).buffered).toBe(1);
    rx.borrowAndUpdate();
    expect(inspect(rx).buffered).toBe(0);
    const changed = rx.changed();
    expect(inspect(tx)).toEqual({ ...base, kind: 'watch', side: 'sender', waitingReceives: 1 });
    tx.send('c');
    await changed;
    expect(inspect(tx).waitingReceives).toBe(0);
    rx.drop();
    expect(inspect(tx).closed).toBe(true);
  });

  it('shows oneshot: a waiting await, then the value, then no sender', async () => {
    const [tx, rx] = oneshot.channel<string>();
    const value = rx.then((v) => v);
    expect(inspect(rx)).toEqual({ ...base, kind: 'oneshot', side: 'receiver', waitingReceives: 1 });
    tx.send('pong');
    expect(inspect(tx)).toEqual({ ...base, kind: 'oneshot', side: 'sender', buffered: 1, senders: 0 });
    await expect(value).resolves.toBe('pong');
    expect(inspect(rx)).toMatchObject({ buffered: 1, senders: 0, waitingReceives: 0, closed: true });
  });

  it('returns a plain snapshot that does not follow the channel', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const before = inspect(rx);
    tx.trySend(1);
    expect(before.buffered).toBe(0);
    expect(Object.getPrototypeOf(before)).toBe(Object.prototype);
  });

  it.each([null, undefined, 42, {}, 'rx'])('throws TypeError showing %p, which is not a handle', (value) => {
    expect(() => inspect(value as object)).toThrow(TypeError);
    expect(() => inspect(value as object)).toThrow(/Expected `handle` to be a sender or receiver of rxjs-channel, got `/);
  });
});

describe('expectIdle', () => {
  it('passes when nothing waits, buffered values and live senders notwithstanding', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    expect(() => expectIdle(rx)).not.toThrow();
    expect(() => expectIdle(tx)).not.toThrow();
  });

  it('fails with the picture when a send waits', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const blocked = tx.send(2);
    expect(() => expectIdle(rx)).toThrow(
      'expectIdle: the mpsc channel is not idle: 1 pending send\n  mpsc receiver: buffered 1, pendingSends 1, waitingReceives 0, permits 0, senders 1, closed false',
    );
    rx.tryRecv();
    await blocked;
    await flush();
    expect(() => expectIdle(rx)).not.toThrow();
  });

  it('fails on a waiting receive and on an outstanding permit, naming both', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const permit = tx.tryReserve()!;
    void rx.recv();
    expect(() => expectIdle(tx)).toThrow(/not idle: 1 waiting receive, 1 outstanding permit\n/);
    permit.send(1);
    expect(() => expectIdle(tx)).not.toThrow();
  });

  it('fails on a forgotten watch changed() wait', () => {
    const [, rx] = watch.channel(0);
    void rx.changed();
    expect(() => expectIdle(rx)).toThrow(/the watch channel is not idle: 1 waiting receive/);
  });
});
