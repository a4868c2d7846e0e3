/**
 * mpsc across real Chromium module workers: handles moved with `intoPort()` and
 * `worker.postMessage(data, [port])`, opened in the worker, with the channel's bound, order
 * and lifecycle holding across the port. Run by `npm run test:browser-threads`.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { mpsc, SendError } from 'rxjs-channel';
import { message, spawn, terminateAll, until } from './helpers.js';

interface Item {
  id: number;
  seq: number;
}

jest.setTimeout(15_000);
afterEach(terminateAll);

describe('mpsc senders in module workers', () => {
  it('the tutorial: two workers each send a user through a clone; toArray completes when both dropped theirs', async () => {
    const [tx, rx] = mpsc.channel<{ id: string; name: string; since: Date }>(100);
    for (const id of ['bob', 'tom']) {
      const port = tx.clone().intoPort(); // the clone moves; tx stays here
      spawn('lookup-user', { id, port }, [port]);
    }
    expect(rx.senderCount).toBe(3);
    tx.drop();
    const users = await lastValueFrom(rx.pipe(toArray()));
    expect(users.map((u) => u.name).sort()).toEqual(['BOB', 'TOM']);
    expect(users.every((u) => u.since instanceof Date && u.since.getTime() === Date.UTC(2020, 0, 1))).toBe(true);
    expect(rx.senderCount).toBe(0);
  });

  it('4 producer workers x 25,000 values: no loss, no duplicate, per-producer order, length never above capacity', async () => {
    const capacity = 64;
    const [tx, rx] = mpsc.channel<Item>(capacity);
    for (const id of [0, 1, 2, 3]) {
      const port = tx.clone().intoPort();
      spawn('producer', { port, id, count: 25_000 }, [port]);
    }
    tx.drop();
    const next = [0, 0, 0, 0];
    let count = 0;
    let maxLength = 0;
    let outOfOrder = 0;
    for await (const v of rx) {
      maxLength = Math.max(maxLength, rx.length);
      if (v.seq !== next[v.id]) outOfOrder++; // per producer, in order, each once
      next[v.id] = v.seq + 1;
      count++;
    }
    expect(outOfOrder).toBe(0);
    expect(count).toBe(100_000);
    expect(next).toEqual([25_000, 25_000, 25_000, 25_000]);
    expect(maxLength).toBeLessThanOrEqual(capacity);
  });

  it('a producer in a worker waits while the channel is full and resumes as the page receives; trySend there is false', async () => {
    const capacity = 4;
    const [tx, rx] = mpsc.channel<number>(capacity);
    const port = tx.intoPort();
    const worker = spawn('producer', { port, count: 50, plain: true, report: 1 }, [port]);
    // The worker runs ahead until every slot is taken (buffered here or lent to it) and its
    // next send waits: the owner then holds the worker's place in the queue.
    await until(() => rx.length === capacity && rx.pendingSends === 1);
    worker.postMessage({ ask: 'sent', trySend: true });
    const report = await message<{ sent: number; trySend: boolean }>(worker, (m) => 'trySend' in m);
    expect(report.sent).toBeLessThanOrEqual(capacity);
    expect(report.trySend).toBe(false);
    expect(rx.length).toBe(capacity);
    // Taking one value frees one slot: the worker's waiting send resolves.
    const resumed = message<{ sent: number }>(worker, (m) => m.sent === report.sent + 1);
    expect(await rx.recv()).toBe(0);
    expect((await resumed).sent).toBe(report.sent + 1);
    const seen = [0];
    for await (const v of rx) {
      expect(rx.length).toBeLessThanOrEqual(capacity);
      seen.push(v);
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('trySend in a worker is true only while that thread holds a free slot: a held permit is the one slot of capacity 1', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const port = tx.clone().intoPort();
    const worker = spawn('misc', { port, mode: 'slots' }, [port]);
    const report = await message<{ whileHeld: boolean }>(worker);
    expect(report.whileHeld).toBe(false);
    expect(await rx.recv()).toBe(0);
    tx.drop();
    expect(await rx.recv()).toBeUndefined();
  });

  it('a value that cannot be cloned rejects send with the DataCloneError, is not delivered and frees its slot', async () => {
    const [tx, rx] = mpsc.channel<unknown>(1);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'uncloneable' }, [port]);
    const report = message<{ error: { name: string } }>(worker);
    const values = await lastValueFrom(rx.pipe(toArray()));
    expect(values).toEqual(['before', 'after']);
    expect((await report).error.name).toBe('DataCloneError');
  });

  it('send(v, { transfer }) moves the ArrayBuffer instead of copying it', async () => {
    const [tx, rx] = mpsc.channel<ArrayBuffer>(2);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'transfer' }, [port]);
    const report = message<{ detached: boolean }>(worker);
    const buffer = await rx.recv();
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(buffer!)]).toEqual([1, 2, 3]);
    expect(await report).toEqual({ detached: true });
    expect(await rx.recv()).toBeUndefined();
  });

  it('error(e) in a worker fails the receiver with the structured-cloned reason (name, message, cause) after the buffered values', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'error' }, [port]);
    const report = message<{ closed: boolean; refused: string }>(worker);
    expect(await rx.recv()).toBe(1);
    const reason = await rx.recv().catch((e: unknown) => e);
    expect(reason).toBeInstanceOf(RangeError);
    expect((reason as RangeError).message).toBe('worker gave up');
    expect((reason as RangeError).cause).toEqual({ code: 7 });
    expect(await report).toEqual({ closed: true, refused: 'SendError' });
  });

  it("the page's close reaches a worker's sender: closed() resolves there and its sends are refused", async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = tx.intoPort();
    const worker = spawn('misc', { port, mode: 'closed' }, [port]);
    const report = message<{ isClosed: boolean; refused: string }>(worker);
    rx.close();
    expect(await report).toEqual({ isClosed: true, refused: 'SendError' });
    expect(await rx.recv()).toBeUndefined();
  });
});

describe('mpsc receivers in module workers', () => {
  it('a receiver moved into a worker gets every value in order; values it holds untaken keep their slots', async () => {
    const capacity = 8;
    const [tx, rx] = mpsc.channel<number>(capacity);
    const port = rx.intoPort();
    await expect(rx.recv()).rejects.toMatchObject({ name: 'ReceiverDroppedError' });
    const worker = spawn('consumer', { port, hold: true, slow: true }, [port]);
    await message(worker, (m: { opened?: boolean }) => m.opened === true);
    for (let i = 0; i < capacity; i++) await tx.send(i);
    // The worker takes nothing yet: the values are here or in its window, each holding its slot.
    expect(tx.trySend(capacity)).toBe(false);
    const waiting = tx.send(capacity);
    const report = message<{ got: number[] }>(worker, (m) => 'got' in m);
    worker.postMessage('consume');
    await waiting;
    for (let i = capacity + 1; i < 500; i++) await tx.send(i);
    tx.drop();
    expect((await report).got).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("the worker's close() refuses further sends here; values already in the channel still reach it", async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = rx.intoPort();
    const worker = spawn('consumer', { port, closeAfter: 1 }, [port]);
    const report = message<{ got: number[] }>(worker, (m) => 'got' in m);
    await tx.send(1);
    await tx.closed();
    expect(tx.isClosed).toBe(true);
    await expect(tx.send(2)).rejects.toBeInstanceOf(SendError);
    expect((await report).got).toEqual([1]);
  });
});
