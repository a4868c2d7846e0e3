/**
 * broadcast across real `worker_threads`: senders and receivers moved into ports
 * (`intoPort()`), opened in workers (`broadcast.senderFromPort`, `receiverFromPort`), with the
 * kind's own semantics across the port: every receiver sees every value sent after it
 * subscribed, in order, or a LaggedError counting exactly what it lost.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { broadcast, LaggedError, mpsc, select, SendError, SenderDroppedError, watch } from 'rxjs-channel';
import { runMain } from './child.js';
import { exited, message, spawn, until } from './helpers.js';

interface Item {
  id: number;
  seq: number;
}

interface Report<T> {
  got: T[];
  lagged: { at: number; skipped: number }[];
  error: { name: string; message: string } | null;
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Reads `rx` to its end with recv(), recording each lag where it came. */
async function drain<T>(rx: broadcast.Receiver<T>): Promise<{ got: T[]; lagged: { at: number; skipped: number }[] }> {
  const got: T[] = [];
  const lagged: { at: number; skipped: number }[] = [];
  for (;;) {
    let v: T | undefined;
    try {
      v = await rx.recv();
    } catch (e) {
      if (!(e instanceof LaggedError)) throw e;
      lagged.push({ at: got.length, skipped: e.skipped });
      continue;
    }
    if (v === undefined) return { got, lagged };
    got.push(v);
  }
}

jest.setTimeout(60_000);

describe('broadcast senders in workers', () => {
  it('a sender moved into a worker reaches every receiver here, in order, and counts until the worker drops it', async () => {
    const [tx, rx1] = broadcast.channel<Item>(1024);
    const rx2 = tx.subscribe();
    const port = tx.intoPort();
    expect(tx.isDropped).toBe(true);
    expect(() => tx.send({ id: 0, seq: 0 })).toThrow(SenderDroppedError);
    expect(rx1.isClosed).toBe(false); // the port stands for the moved sender
    const done = exited(spawn('broadcast', { port, mode: 'send', id: 7, count: 500 }, [port]));
    const [a, b] = await Promise.all([lastValueFrom(rx1.pipe(toArray())), lastValueFrom(rx2.pipe(toArray()))]);
    const expected = range(500).map((seq) => ({ id: 7, seq }));
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    expect(rx1.isClosed).toBe(true);
    expect(await done).toEqual({ code: 0, error: undefined });
  });

  it('3 producer workers: each receiver sees every value of each, in per-producer order', async () => {
    const [tx, rx] = broadcast.channel<Item>(4096);
    const other = tx.subscribe();
    const workers = [0, 1, 2].map((id) => {
      const port = tx.clone().intoPort();
      return exited(spawn('broadcast', { port, mode: 'send', id, count: 1_000, yieldEvery: 100 }, [port]));
    });
    tx.drop();
    for (const got of await Promise.all([drain(rx), drain(other)])) {
      expect(got.lagged).toEqual([]);
      expect(got.got).toHaveLength(3_000);
      for (const id of [0, 1, 2]) expect(got.got.filter((v) => v.id === id).map((v) => v.seq)).toEqual(range(1_000));
    }
    for (const done of await Promise.all(workers)) expect(done.code).toBe(0);
  });

  it("counts: the moved sender and its worker's clones count in senderCount; receivers here count there", async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const port = tx.clone().intoPort();
    expect(tx.senderCount).toBe(2);
    const worker = spawn('broadcast', { port, mode: 'closed' }, [port]);
    expect(await message(worker)).toEqual({ receivers: 1 });
    const more = tx.subscribe();
    more.drop();
    rx.drop(); // the last receiver: the worker's closed() resolves, its sends are refused
    expect(await message(worker)).toEqual({ receivers: 0, refused: 'SendError' });
    await exited(worker);
    await until(() => tx.senderCount === 1);
  });

  it('error(e) in a worker fails every receiver with the structured-cloned reason after the values sent before it', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const port = tx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'error' }, [port]);
    expect(await message(worker)).toEqual({ refused: 'SendError' });
    expect(await rx.recv()).toBe(1);
    const reason = await rx.recv().catch((e: unknown) => e);
    // Cloned in this thread's main realm (jest runs specs in a realm of their own): compare by shape.
    expect(Object.prototype.toString.call(reason)).toBe('[object Error]');
    const { name, message: text } = reason as RangeError;
    expect({ name, text }).toEqual({ name: 'RangeError', text: 'worker gave up' });
    await exited(worker);
  });

  it('send(v, { transfer }) moves the buffer instead of copying it', async () => {
    const [tx, rx] = broadcast.channel<ArrayBuffer>(2);
    const port = tx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'transfer' }, [port]);
    const report = message<{ detached: boolean }>(worker);
    const buffer = await rx.recv();
    expect([...new Uint8Array(buffer!)]).toEqual([1, 2, 3]);
    expect(await report).toEqual({ detached: true });
    expect(await rx.recv()).toBeUndefined();
    await exited(worker);
  });

  it('a value that cannot be cloned throws the DataCloneError in the worker and is not delivered', async () => {
    const [tx, rx] = broadcast.channel<unknown>(4);
    const port = tx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'uncloneable' }, [port]);
    const report = message<{ error: { name: string } }>(worker);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual(['before', 'after']);
    expect((await report).error.name).toBe('DataCloneError');
    await exited(worker);
  });

  it('a worker terminated mid-stream drops its sender: the receivers end after a prefix of its values, in order', async () => {
    const [tx, rx] = broadcast.channel<Item>(1 << 16);
    const port = tx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'send', forever: true }, [port]);
    const gone = exited(worker);
    await message(worker); // it is sending
    const terminated = worker.terminate();
    const { got, lagged } = await drain(rx);
    expect(lagged).toEqual([]);
    expect(got.map((v) => v.seq)).toEqual(range(got.length));
    // Values 0..99 were posted in turns before the one that said 'sending' (a macrotask each);
    // value 100, sent in that turn, may be cut off by terminate().
    expect(got.length).toBeGreaterThanOrEqual(100);
    expect(await terminated).toBe(1);
    expect((await gone).code).toBe(1);
  });

  it('a worker that throws drops its sender: the values it sent arrive, then the receivers end', async () => {
    const [tx, rx] = broadcast.channel<Item>(64);
    const port = tx.intoPort();
    const done = exited(spawn('broadcast', { port, mode: 'send', id: 3, count: 100, throwAfter: 10 }, [port]));
    expect((await lastValueFrom(rx.pipe(toArray()))).map((v) => v.seq)).toEqual(range(10));
    const { code, error } = await done;
    expect(code).toBe(1);
    expect(error?.message).toBe('producer 3 failed');
  });

  it("a receiver made in the worker from the moved sender (subscribe()) sees that worker's later sends and counts here", async () => {
    const [tx, rx] = broadcast.channel<number>(16);
    const port = tx.clone().intoPort();
    const worker = spawn('broadcast', { port, mode: 'subscribe', count: 5 }, [port]);
    const report = message<{ before: number; got: number[] }>(worker);
    await until(() => tx.receiverCount === 2);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual(range(5));
    expect(await report).toEqual({ before: 1, got: range(5) });
    await exited(worker);
    expect(tx.receiverCount).toBe(1);
  });

  it('a sender moved into a worker and back talks to this thread directly: its values arrive after the middle worker ended', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const port = tx.intoPort();
    const relay = spawn('broadcast', { port, mode: 'relay-sender' }, [port]);
    const { port: back } = await message<{ port: MessagePort }>(relay);
    expect((await exited(relay)).code).toBe(0);
    const remote = broadcast.senderFromPort<number>(back);
    expect(remote.receiverCount).toBe(1);
    remote.send(1);
    remote.send(2);
    remote.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1, 2]);
  });
});

describe('broadcast receivers in workers', () => {
  it('a receiver moved into a worker sees every value sent after it subscribed, in order; the local one acts as dropped', async () => {
    const [tx, rx] = broadcast.channel<number>(256);
    tx.send(-1); // before the move and unread: it moves with the receiver
    const port = rx.intoPort();
    expect(rx.isDropped).toBe(true);
    expect(await rx.recv()).toBeUndefined();
    expect(tx.receiverCount).toBe(1);
    const worker = spawn('broadcast', { port, mode: 'recv' }, [port]);
    const report = message<Report<number>>(worker, (m) => typeof m === 'object');
    for (let i = 0; i < 200; i++) tx.send(i);
    tx.drop();
    expect(await report).toEqual({ got: [-1, ...range(200)], lagged: [], error: null });
    expect((await exited(worker)).code).toBe(0);
    expect(tx.receiverCount).toBe(0);
  });

  it('several receivers in several workers each see every value, in order', async () => {
    const [tx, rx] = broadcast.channel<Item>(1024);
    const workers = [0, 1, 2].map(() => {
      const port = tx.subscribe().intoPort();
      const worker = spawn('broadcast', { port, mode: 'recv', slow: true }, [port]);
      return { report: message<Report<Item>>(worker, (m) => typeof m === 'object'), done: exited(worker) };
    });
    expect(tx.receiverCount).toBe(4);
    for (let seq = 0; seq < 1_000; seq++) tx.send({ id: 0, seq });
    tx.drop();
    const local = await lastValueFrom(rx.pipe(toArray()));
    expect(local.map((v) => v.seq)).toEqual(range(1_000));
    for (const { report, done } of workers) {
      const { got, lagged, error } = await report;
      expect({ lagged, error }).toEqual({ lagged: [], error: null });
      expect(got.map((v) => v.seq)).toEqual(range(1_000));
      expect((await done).code).toBe(0);
    }
  });

  it('lag: a worker more than capacity behind gets LaggedError counting every value it lost, then the newest values', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const port = rx.intoPort();
    // The worker reads only once the end has reached its thread: its ring (capacity 4) holds
    // the newest 4 values, whatever part of the loss happened here (the window was full) or there.
    const worker = spawn('broadcast', { port, mode: 'recv', waitClosed: true }, [port]);
    const report = message<Report<number>>(worker, (m) => typeof m === 'object');
    for (let i = 0; i < 20; i++) tx.send(i);
    tx.drop();
    expect(await report).toEqual({ got: [16, 17, 18, 19], lagged: [{ at: 0, skipped: 16 }], error: null });
    await exited(worker);
  });

  it("lag: the channel's 'skip' policy holds in the worker (its Observable skips silently)", async () => {
    const [tx, rx] = broadcast.channel<number>(4, { lag: 'skip' });
    const port = rx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'recv', waitClosed: true, observe: true }, [port]);
    const report = message<Report<number>>(worker, (m) => typeof m === 'object');
    for (let i = 0; i < 20; i++) tx.send(i);
    tx.drop();
    expect(await report).toEqual({ got: [16, 17, 18, 19], lagged: [], error: null });
    await exited(worker);
  });

  it('lag under load: a slow worker gets each value at most once, in order, and every value it missed is counted', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const port = rx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'recv', slow: true }, [port]);
    const report = message<Report<number>>(worker, (m) => typeof m === 'object');
    await message(worker); // ready
    const total = 5_000;
    for (let i = 0; i < total; i++) {
      tx.send(i);
      if (i % 50 === 49) await new Promise((next) => setImmediate(next));
    }
    tx.drop();
    const { got, lagged, error } = await report;
    expect(error).toBeNull();
    // Rebuild the stream from what arrived: values and the lags in between cover 0..total-1 once.
    let next = 0;
    for (let i = 0, l = 0; i <= got.length; i++) {
      while (l < lagged.length && lagged[l]!.at === i) next += lagged[l++]!.skipped;
      if (i < got.length) expect(got[i]).toBe(next++);
    }
    expect(next).toBe(total);
    expect(got[got.length - 1]).toBe(total - 1); // the newest values are never lost
  });

  it("tx.error(e) reaches a worker's receiver after the values sent before it, with the structured-cloned reason", async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const port = rx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'recv' }, [port]);
    const report = message<Report<number>>(worker, (m) => typeof m === 'object');
    tx.send(1);
    tx.send(2);
    tx.error(new TypeError('feed broke'));
    expect(await report).toEqual({ got: [1, 2], lagged: [], error: { name: 'TypeError', message: 'feed broke' } });
    await exited(worker);
  });

  it("the worker's drop counts down: the last receiver gone resolves tx.closed() and sends are refused", async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const port = rx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'recv', dropAfter: 1 }, [port]);
    tx.send(1);
    expect(await message(worker, (m) => typeof m === 'object')).toEqual({ dropped: true });
    await tx.closed();
    expect(tx.receiverCount).toBe(0);
    expect(() => tx.send(2)).toThrow(SendError);
    worker.postMessage('end');
    await exited(worker);
  });

  it('a worker terminated, or one that throws, drops its receiver: the count goes down and nothing hangs', async () => {
    for (const crash of [false, true]) {
      const [tx, rx] = broadcast.channel<number>(16);
      const port = rx.intoPort();
      const worker = spawn('broadcast', { port, mode: 'recv', throwAfter: crash ? 3 : -1 }, [port]);
      const gone = exited(worker);
      await message(worker); // ready
      for (let i = 0; i < 5; i++) tx.send(i);
      if (!crash) await worker.terminate();
      await tx.closed();
      expect(tx.receiverCount).toBe(0);
      expect(() => tx.send(9)).toThrow(SendError);
      const { code, error } = await gone;
      expect(code).toBe(1);
      if (crash) expect(error?.message).toBe('consumer failed');
    }
  });

  it('a receiver moved into a worker and back is served from that worker (which stays alive for it); it ends when that worker ends', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const port = rx.intoPort();
    const relay = spawn('broadcast', { port, mode: 'relay-receiver' }, [port]);
    const { port: back } = await message<{ port: MessagePort }>(relay);
    const remote = broadcast.receiverFromPort<number>(back);
    await until(() => tx.receiverCount === 1);
    tx.send(1);
    expect(await remote.recv()).toBe(1);
    await relay.terminate();
    expect(await remote.recv()).toBeUndefined();
    expect(remote.isClosed).toBe(true);
    await until(() => tx.receiverCount === 0);
  });
});

describe('broadcast ports in one thread', () => {
  it('refuses what is not a port, a port of another kind or end, and one already opened, saying what it got', () => {
    expect(() => broadcast.senderFromPort({} as never)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying a broadcast sender, got `{}` (object)'));
    const [tx, rx] = broadcast.channel<number>(2);
    const rxPort = rx.intoPort();
    expect(() => broadcast.senderFromPort(rxPort)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying a broadcast sender, got a port carrying a broadcast receiver'));
    const [mtx] = mpsc.channel<number>(1);
    const mpscPort = mtx.intoPort();
    expect(() => broadcast.receiverFromPort(mpscPort)).toThrow(/carrying a broadcast receiver, got a port carrying an mpsc\/mpmc sender/);
    const [wtx] = watch.channel(0);
    const watchPort = wtx.intoPort();
    expect(() => broadcast.senderFromPort(watchPort)).toThrow(/carrying a broadcast sender, got a port carrying a watch sender/);
    const remote = broadcast.receiverFromPort<number>(rxPort);
    expect(() => broadcast.receiverFromPort(rxPort)).toThrow(/got a port already opened/);
    mpsc.senderFromPort(mpscPort).drop();
    watch.senderFromPort(watchPort).drop();
    remote.drop();
    tx.drop();
  });

  it('a moved receiver cannot move again from here; a held one refuses to move', () => {
    const [tx, rx] = broadcast.channel<number>(2);
    const sub = rx.subscribe(() => {});
    expect(() => rx.intoPort()).toThrow(expect.objectContaining({ name: 'ReceiverBusyError' }));
    sub.unsubscribe();
    const port = rx.intoPort();
    expect(() => rx.intoPort()).toThrow(expect.objectContaining({ name: 'ReceiverDroppedError' }));
    broadcast.receiverFromPort(port).drop();
    tx.drop();
  });

  it("a worker-side receiver's resubscribe() counts in receiverCount here", async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const remote = broadcast.receiverFromPort<number>(rx.intoPort());
    const again = remote.resubscribe();
    await until(() => tx.receiverCount === 2);
    expect(tx.send(5)).toBe(2);
    expect(await remote.recv()).toBe(5);
    expect(await again.recv()).toBe(5);
    again.drop();
    await until(() => tx.receiverCount === 1);
    remote.drop();
    await tx.closed();
  });
});

describe('handles opened from ports are the ordinary ones', () => {
  it('select, for await, using and clone work on broadcast handles opened from ports', async () => {
    const [tx, rx] = broadcast.channel<string>(8);
    const remoteRx = broadcast.receiverFromPort<string>(rx.intoPort());
    const local = tx.subscribe();
    const [idleTx, idle] = broadcast.channel<string>(1); // nothing comes here
    const chosen = select({ idle, remote: remoteRx });
    {
      using remoteTx = broadcast.senderFromPort<string>(tx.clone().intoPort());
      const second = remoteTx.clone();
      expect(second.senderCount).toBe(3);
      remoteTx.send('a');
      second.send('b');
      second.drop();
    } // the moved sender is disposed here
    expect(await chosen).toEqual({ key: 'remote', value: 'a' });
    await until(() => tx.senderCount === 1);
    tx.drop();
    const rest: string[] = [];
    for await (const v of remoteRx) rest.push(v);
    expect(rest).toEqual(['b']);
    expect(await local.recvMany(8)).toEqual(['a', 'b']);
    idleTx.drop();
  });
});

describe('a program moving broadcast and watch handles exits by itself', () => {
  it('when its broadcast producer and consumer workers finish', async () => {
    expect(await runMain('exit-broadcast-watch.mjs', ['broadcast'])).toEqual({ code: 0, stdout: '{"count":100}\n', stderr: '' });
  });

  it('when workers open handles of both kinds and drop them at once (their threads exit, then this one)', async () => {
    expect(await runMain('exit-broadcast-watch.mjs', ['dropped'])).toEqual({ code: 0, stdout: '{"codes":[0,0,0,0]}\n', stderr: '' });
  });
});
