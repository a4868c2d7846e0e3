/**
 * mpsc across real `worker_threads`: handles moved into ports (`intoPort()`), opened in
 * workers (`senderFromPort`, `receiverFromPort`), with the channel's bound, order and
 * lifecycle holding across the port.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { mpsc, SendError } from 'rxjs-channel';
import { exited, message, spawn, until } from './helpers.js';

interface Item {
  id: number;
  seq: number;
}

jest.setTimeout(60_000);

describe('mpsc senders in workers', () => {
  it('a sender moved into a worker delivers its values and counts until the worker drops it', async () => {
    const [tx, rx] = mpsc.channel<Item>(4);
    const port = tx.intoPort();
    expect(tx.isDropped).toBe(true);
    expect(rx.senderCount).toBe(1); // the port stands for the moved sender
    const worker = spawn('producer', { port, id: 7, count: 20 }, [port]);
    const done = exited(worker);
    const values = await lastValueFrom(rx.pipe(toArray()));
    expect(values).toEqual(Array.from({ length: 20 }, (_, seq) => ({ id: 7, seq })));
    expect(rx.senderCount).toBe(0);
    expect(await done).toEqual({ code: 0, error: undefined });
  });

  it('4 producer workers x 25,000 values: no loss, no duplicate, per-producer order, length never above capacity', async () => {
    const capacity = 64;
    const [tx, rx] = mpsc.channel<Item>(capacity);
    const workers = [0, 1, 2, 3].map((id) => {
      const port = tx.clone().intoPort();
      return exited(spawn('producer', { port, id, count: 25_000 }, [port]));
    });
    tx.drop();
    const next = [0, 0, 0, 0];
    let count = 0;
    let maxLength = 0;
    for await (const v of rx) {
      maxLength = Math.max(maxLength, rx.length);
      expect(v.seq).toBe(next[v.id]); // per producer, in order, each once
      next[v.id]++;
      count++;
    }
    expect(count).toBe(100_000);
    expect(next).toEqual([25_000, 25_000, 25_000, 25_000]);
    expect(maxLength).toBeLessThanOrEqual(capacity);
    for (const done of await Promise.all(workers)) expect(done).toEqual({ code: 0, error: undefined });
  });

  it('a producer in a worker waits while the channel is full: resolved sends never exceed the capacity, trySend there is false', async () => {
    const capacity = 4;
    const [tx, rx] = mpsc.channel<number>(capacity);
    const port = tx.intoPort();
    const worker = spawn('producer', { port, count: 50, plain: true }, [port]);
    const done = exited(worker);
    // The worker runs ahead until every slot is taken (buffered here or lent to it) and its
    // next send waits; the owner then has the worker's place in the queue (one waiting reserve).
    await until(() => rx.length === capacity && rx.pendingSends === 1);
    worker.postMessage({ ask: 'sent', trySend: true });
    const report = await message<{ sent: number; trySend: boolean }>(worker, (m) => 'trySend' in m);
    expect(report.sent).toBeLessThanOrEqual(capacity);
    expect(report.trySend).toBe(false);
    expect(rx.length).toBe(capacity);
    const seen: number[] = [];
    for await (const v of rx) {
      expect(rx.length).toBeLessThanOrEqual(capacity);
      seen.push(v);
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await done).code).toBe(0);
  });

  it('a worker terminated mid-stream counts down; the other producers continue and the receiver ends', async () => {
    const [tx, rx] = mpsc.channel<Item>(8);
    const endless = tx.clone().intoPort();
    const finite = tx.clone().intoPort();
    tx.drop();
    const doomed = spawn('producer', { port: endless, id: 0, forever: true }, [endless]);
    const gone = exited(doomed);
    const steady = exited(spawn('producer', { port: finite, id: 1, count: 2_000 }, [finite]));
    expect(rx.senderCount).toBe(2);
    const byId: number[][] = [[], []];
    let terminated: Promise<number> | null = null;
    for await (const v of rx) {
      byId[v.id].push(v.seq);
      if (terminated === null && byId[0].length === 100) terminated = doomed.terminate();
    }
    expect(await terminated).toBe(1);
    expect((await gone).code).toBe(1);
    expect(byId[1]).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    expect(byId[0]).toEqual(Array.from({ length: byId[0].length }, (_, i) => i)); // a prefix, in order
    expect(rx.senderCount).toBe(0);
    expect((await steady).code).toBe(0);
  });

  it('a worker that throws drops its sender: its values so far arrive, then the receiver ends', async () => {
    const [tx, rx] = mpsc.channel<Item>(16);
    const port = tx.intoPort();
    const done = exited(spawn('producer', { port, id: 3, count: 100, throwAfter: 10 }, [port]));
    const values = await lastValueFrom(rx.pipe(toArray()));
    expect(values.map((v) => v.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { code, error } = await done;
    expect(code).toBe(1);
    expect(error?.message).toBe('producer 3 failed');
    expect(rx.senderCount).toBe(0);
  });

  it('a value that cannot be cloned rejects send with the DataCloneError, is not delivered and takes no slot', async () => {
    const [tx, rx] = mpsc.channel<unknown>(1);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'uncloneable' }, [port]);
    const report = message<{ error: { name: string } }>(worker);
    const done = exited(worker);
    const values = await lastValueFrom(rx.pipe(toArray()));
    expect(values).toEqual(['before', 'after']);
    expect((await report).error.name).toBe('DataCloneError');
    expect((await done).code).toBe(0);
  });

  it('send(v, { transfer }) moves the buffer instead of copying it', async () => {
    const [tx, rx] = mpsc.channel<ArrayBuffer>(2);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'transfer' }, [port]);
    const report = message<{ detached: boolean }>(worker);
    const buffer = await rx.recv();
    expect([...new Uint8Array(buffer!)]).toEqual([1, 2, 3]);
    expect(await report).toEqual({ detached: true });
    expect(await rx.recv()).toBeUndefined();
    await exited(worker);
  });

  it('error(e) in a worker fails the receiver with the structured-cloned reason after the buffered values', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'error' }, [port]);
    const report = message<{ closed: boolean; refused: string }>(worker);
    expect(await rx.recv()).toBe(1);
    const reason = await rx.recv().catch((e: unknown) => e);
    // Cloned in this thread's main realm (jest runs specs in a realm of their own): compare by shape.
    expect(Object.prototype.toString.call(reason)).toBe('[object Error]');
    const { name, message: text } = reason as RangeError;
    expect({ name, text }).toEqual({ name: 'RangeError', text: 'worker gave up' });
    expect(await report).toEqual({ closed: true, refused: 'SendError' });
    await exited(worker);
  });

  it("the receiver's close reaches a worker's sender: closed() resolves there and sends are refused", async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'closed' }, [port]);
    const report = message<{ isClosed: boolean; refused: string }>(worker);
    rx.close();
    expect(await report).toEqual({ isClosed: true, refused: 'SendError' });
    expect(await rx.recv()).toBeUndefined();
    await exited(worker);
  });

  it('clones in a worker count in strongCount on both sides', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = tx.clone().intoPort();
    const worker = spawn('misc', { port, mode: 'counts' }, [port]);
    expect(await message(worker)).toEqual({ strong: 3, max: 4 }); // tx here, the moved one and its clone
    await until(() => rx.senderCount === 3);
    worker.postMessage('drop the clone');
    await message(worker);
    await until(() => rx.senderCount === 2);
    worker.postMessage('end');
    await exited(worker);
    await until(() => rx.senderCount === 1);
    tx.drop();
    expect(await rx.recv()).toBeUndefined();
  });

  it('a sender moved further from a worker talks to the channel thread directly: values arrive after the middle worker ended', async () => {
    const [tx, rx] = mpsc.channel<Item>(4);
    const port = tx.intoPort();
    const relay = spawn('relay', { port }, [port]);
    const { port: moved, dropped } = await message<{ port: unknown; dropped: boolean }>(relay);
    expect(dropped).toBe(true);
    expect((await exited(relay)).code).toBe(0); // the middle thread is gone
    expect(rx.senderCount).toBe(1);
    const done = exited(spawn('producer', { port: moved, id: 5, count: 30 }, [moved]));
    const values = await lastValueFrom(rx.pipe(toArray()));
    expect(values.map((v) => v.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await done).code).toBe(0);
  });
});

describe('mpsc receivers in workers', () => {
  it('a receiver moved into a worker gets every value in order; senders here wait on the bound', async () => {
    const capacity = 8;
    const [tx, rx] = mpsc.channel<number>(capacity);
    const port = rx.intoPort();
    await expect(rx.recv()).rejects.toMatchObject({ name: 'ReceiverDroppedError' });
    const worker = spawn('consumer', { port, slow: true }, [port]);
    const report = message<{ got: number[] }>(worker);
    let maxTaken = 0;
    for (let i = 0; i < 500; i++) {
      await tx.send(i);
      maxTaken = Math.max(maxTaken, capacity - tx.capacity);
    }
    tx.drop();
    expect((await report).got).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(maxTaken).toBeLessThanOrEqual(capacity);
    expect((await exited(worker)).code).toBe(0);
  });

  it("the worker's close() refuses further sends; values already in the channel still reach it", async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = rx.intoPort();
    const worker = spawn('consumer', { port, closeAfter: 1 }, [port]);
    const report = message<{ got: number[] }>(worker);
    await tx.send(1);
    await tx.closed();
    await expect(tx.send(2)).rejects.toBeInstanceOf(SendError);
    expect((await report).got).toEqual([1]);
    await exited(worker);
  });

  it('a receiving worker that crashes closes the channel: waiting sends reject SendError, closed() resolves', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const port = rx.intoPort();
    const worker = spawn('consumer', { port, throwAfter: 3 }, [port]);
    const done = exited(worker);
    let refused: unknown;
    for (let i = 0; refused === undefined; i++) {
      await tx.send(i).catch((e: unknown) => (refused = e));
    }
    expect(refused).toBeInstanceOf(SendError);
    expect(tx.isClosed).toBe(true);
    await tx.closed();
    expect((await done).error?.message).toBe('consumer failed');
  });
});

describe('both ends in workers', () => {
  it('producers in two workers and the receiver in a third: one hop each, every value once', async () => {
    const [tx, rx] = mpsc.channel<Item>(16);
    const rxPort = rx.intoPort();
    const consumer = spawn('consumer', { port: rxPort }, [rxPort]);
    const report = message<{ got: Item[] }>(consumer);
    const producers = [0, 1].map((id) => {
      const port = tx.clone().intoPort();
      return exited(spawn('producer', { port, id, count: 1_000 }, [port]));
    });
    tx.drop();
    const got = (await report).got;
    for (const id of [0, 1]) expect(got.filter((v) => v.id === id).map((v) => v.seq)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(got).toHaveLength(2_000);
    await Promise.all(producers);
    await exited(consumer);
  });
});
