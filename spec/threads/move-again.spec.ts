/**
 * Receivers opened from a port move again: the channel's thread serves the new port directly,
 * and what the moving thread held (in flight to it, buffered there) reaches the new holder
 * first, in order, once. In one thread (real MessageChannel pairs) and through real workers.
 */
import { mpmc, mpsc } from 'rxjs-channel';
import { exited, message, spawn } from './helpers.js';

jest.setTimeout(60_000);

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Sends 0..n-1 on `tx` (waiting whenever the channel is full), then drops it. */
async function produce(tx: mpsc.Sender<number>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await tx.send(i);
  tx.drop();
}

describe('an mpsc receiver moving again within a thread', () => {
  it('a chain of moves, each after taking a few values, delivers every value once and in order', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    const producing = produce(tx, 200);
    let remote = mpsc.receiverFromPort<number>(rx.intoPort());
    const got: number[] = [];
    for (let hop = 0; hop < 20; hop++) {
      for (let i = 0; i < 7; i++) got.push((await remote.recv())!);
      // Values are buffered here and in flight to here right now: the move must carry them.
      remote = mpsc.receiverFromPort<number>(remote.intoPort());
    }
    for (let v = await remote.recv(); v !== undefined; v = await remote.recv()) got.push(v);
    await producing;
    expect(got).toEqual(range(0, 200));
  });

  it('moves before taking anything, twice in one turn, and the bound still holds for the senders', async () => {
    const [tx, rx] = mpsc.channel<number>(3);
    const remote = mpsc.receiverFromPort<number>(mpsc.receiverFromPort<number>(rx.intoPort()).intoPort());
    expect(tx.trySend(1) && tx.trySend(2) && tx.trySend(3)).toBe(true);
    expect(tx.trySend(4)).toBe(false); // the three values keep their slots until taken there
    expect(await remote.recv()).toBe(1);
    await tx.send(4);
    tx.drop();
    expect([await remote.recv(), await remote.recv(), await remote.recv(), await remote.recv()]).toEqual([2, 3, 4, undefined]);
  });

  it("the moved receiver's close closes the channel; an error ends the stream there with the reason", async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const remote = mpsc.receiverFromPort<number>(mpsc.receiverFromPort<number>(rx.intoPort()).intoPort());
    remote.close();
    await tx.closed();
    expect(tx.isClosed).toBe(true);
    const [tx2, rx2] = mpsc.channel<number>(2);
    const first = mpsc.receiverFromPort<number>(rx2.intoPort());
    await tx2.send(1);
    tx2.error(new RangeError('gave up'));
    const second = mpsc.receiverFromPort<number>(first.intoPort());
    expect(await second.recv()).toBe(1);
    await expect(second.recv()).rejects.toThrow('gave up');
  });

  it('a receiver closed and then moved keeps the channel closed; what was sent before still arrives', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const first = mpsc.receiverFromPort<number>(rx.intoPort());
    await tx.send(1);
    await tx.send(2);
    first.close();
    const second = mpsc.receiverFromPort<number>(first.intoPort());
    await tx.closed();
    await expect(tx.send(3)).rejects.toThrow();
    expect([await second.recv(), await second.recv(), await second.recv()]).toEqual([1, 2, undefined]);
  });

  it('a receiver moved after its stream ended here moves what is left, and the end', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const first = mpsc.receiverFromPort<number>(rx.intoPort());
    tx.drop();
    expect(await first.recv()).toBeUndefined();
    const second = mpsc.receiverFromPort<number>(first.intoPort());
    expect(await second.recv()).toBeUndefined();
  });
});

describe('an mpmc receiver moving again within a thread', () => {
  it('a clone moved on while others stay counts as one more handle, and each value goes to one receiver', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const remote = mpmc.receiverFromPort<number>(rx.intoPort());
    const stays = remote.clone();
    const moved = mpmc.receiverFromPort<number>(remote.intoPort()); // `stays` keeps this thread's feed
    await Promise.resolve();
    const sending = (async () => {
      for (let i = 0; i < 100; i++) await tx.send(i);
      tx.drop();
    })();
    const drain = async (r: mpmc.Receiver<number>): Promise<number[]> => {
      const got: number[] = [];
      for (let v = await r.recv(); v !== undefined; v = await r.recv()) got.push(v);
      return got;
    };
    const [a, b] = await Promise.all([drain(stays), drain(moved)]);
    await sending;
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(range(0, 100));
    // Each receiver takes values in the order they were sent.
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(b).toEqual([...b].sort((x, y) => x - y));
  });

  it('the last handle of a thread moving on carries what it held, in order', async () => {
    const [tx, rx] = mpmc.channel<number>(8);
    const first = mpmc.receiverFromPort<number>(rx.intoPort());
    for (let i = 0; i < 8; i++) await tx.send(i);
    expect(await first.recv()).toBe(0);
    const second = mpmc.receiverFromPort<number>(first.intoPort());
    tx.drop();
    const got: number[] = [];
    for (let v = await second.recv(); v !== undefined; v = await second.recv()) got.push(v);
    expect(got).toEqual(range(1, 8));
  });

  it('the channel closes for senders once every moved handle is dropped', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const remote = mpmc.receiverFromPort<number>(rx.intoPort());
    const moved = mpmc.receiverFromPort<number>(remote.clone().intoPort());
    remote.drop();
    expect(tx.isClosed).toBe(false);
    moved.drop();
    await tx.closed();
    expect(tx.isClosed).toBe(true);
  });
});

describe('receivers moving again through workers', () => {
  it('an mpsc receiver a worker moves on after taking some values: the next worker gets the rest, in order', async () => {
    const [tx, rx] = mpsc.channel<number>(16);
    const port = rx.intoPort();
    const relay = spawn('move-rx', { port, take: 10 }, [port]);
    const moved = message<{ got: number[]; port: MessagePort }>(relay);
    const producing = produce(tx, 500);
    const { got, port: next } = await moved;
    await exited(relay); // gone before the rest is read: nothing can pass through it
    const consumer = spawn('consumer', { port: next }, [next]);
    const rest = await message<{ got: number[] }>(consumer);
    await producing;
    expect([...got, ...rest.got]).toEqual(range(0, 500));
    expect((await exited(consumer)).code).toBe(0);
  });

  it('an mpmc receiver moved through two workers, opened here at the end, gets every value once', async () => {
    const [tx, rx] = mpmc.channel<number>(8);
    let port = rx.intoPort();
    const producing = (async () => {
      for (let i = 0; i < 300; i++) await tx.send(i);
      tx.drop();
    })();
    const got: number[] = [];
    for (const take of [5, 20]) {
      const relay = spawn('move-rx', { port, kind: 'mpmc', take }, [port]);
      const moved = await message<{ got: number[]; port: MessagePort }>(relay);
      got.push(...moved.got);
      port = moved.port;
      await exited(relay);
    }
    const last = mpmc.receiverFromPort<number>(port);
    for (let v = await last.recv(); v !== undefined; v = await last.recv()) got.push(v);
    await producing;
    expect(got).toEqual(range(0, 300));
  });

  it('a receiver moved on by a worker that then crashes keeps its values: the crash is no drop', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const port = rx.intoPort();
    const relay = spawn('move-rx', { port, take: 2, crash: true }, [port]);
    for (let i = 0; i < 6; i++) await tx.send(i);
    const moved = await message<{ got: number[]; port: MessagePort }>(relay);
    expect((await exited(relay)).error?.message).toBe('relay crashed');
    tx.drop();
    const last = mpsc.receiverFromPort<number>(moved.port);
    const rest: number[] = [];
    for await (const v of last) rest.push(v);
    expect([...moved.got, ...rest]).toEqual(range(0, 6));
  });
});
