/** broadcast handles across Chromium module workers. */
import { lastValueFrom, toArray } from 'rxjs';
import { broadcast, dropPort } from 'rxjs-channel';
import { hasCloseEvent, message, spawn, terminateAll } from './helpers.js';

jest.setTimeout(15_000);
afterEach(terminateAll);

interface Item {
  id: number;
  seq: number;
}

describe('broadcast across module workers', () => {
  it('a sender moved into a worker reaches every receiver here, in order; they end when it drops', async () => {
    const [tx, rx] = broadcast.channel<Item>(2_048);
    const other = tx.subscribe();
    const port = tx.intoPort();
    spawn('broadcast', { port, mode: 'send', id: 4, count: 1_000 }, [port]);
    const [a, b] = await Promise.all([lastValueFrom(rx.pipe(toArray())), lastValueFrom(other.pipe(toArray()))]);
    const expected = Array.from({ length: 1_000 }, (_, seq) => ({ id: 4, seq }));
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
  });

  it('a receiver moved into a worker sees every value sent after it, in order, then the end', async () => {
    const [tx, rx] = broadcast.channel<number>(1_024);
    const port = rx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'recv' }, [port]);
    const report = message<{ got: number[]; lagged: number[] }>(worker, (m) => typeof m === 'object');
    await message(worker, (m) => m === 'ready');
    for (let i = 0; i < 500; i++) tx.send(i);
    tx.drop();
    expect(await report).toEqual({ got: Array.from({ length: 500 }, (_, i) => i), lagged: [] });
  });

  it('a sender worker terminated mid-stream: once let go (dropPort, or the close event), the receivers end after a prefix in order', async () => {
    const [tx, rx] = broadcast.channel<Item>(4_096);
    const port = tx.intoPort();
    const worker = spawn('broadcast', { port, mode: 'send', id: 1, forever: true }, [port]);
    const all = lastValueFrom(rx.pipe(toArray()));
    await message(worker, (m) => m === 'sending');
    worker.terminate();
    if (!hasCloseEvent) expect(dropPort(port)).toBe(true);
    const got = (await all).map((v) => v.seq);
    expect(got.length).toBeGreaterThanOrEqual(100);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i));
  });
});
