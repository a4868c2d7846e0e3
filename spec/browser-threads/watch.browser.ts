/** watch handles across Chromium module workers. */
import { dropPort, watch } from 'rxjs-channel';
import { hasCloseEvent, message, spawn, terminateAll } from './helpers.js';

jest.setTimeout(15_000);
afterEach(terminateAll);

describe('watch across module workers', () => {
  it('a sender moved into a worker updates the value here: a receiver sees newer values only, the last one, then the end', async () => {
    const [tx, rx] = watch.channel(0);
    const port = tx.intoPort();
    spawn('watch', { port, mode: 'send', count: 50 }, [port]);
    const seen: number[] = [];
    let end: unknown;
    for (;;) {
      try {
        await rx.changed();
      } catch (e) {
        end = e;
        break;
      }
      seen.push(rx.borrowAndUpdate());
    }
    expect((end as Error).name).toBe('RecvError');
    expect(seen.at(-1)).toBe(50);
    expect(seen.every((v, i) => i === 0 || v > seen[i - 1])).toBe(true);
    expect(rx.borrow()).toBe(50);
  });

  it('a receiver moved into a worker starts from the current value (its first version there, once the port is read) and ends on the final one', async () => {
    const [tx, rx] = watch.channel('initial');
    const port = rx.intoPort();
    const worker = spawn('watch', { port, mode: 'recv' }, [port]);
    const report = message<{ before: unknown; first: string; seen: string[]; error: string }>(worker, (m) => typeof m === 'object');
    await message(worker, (m) => m === 'ready');
    tx.send('a');
    await new Promise((next) => setTimeout(next, 0));
    tx.send('final');
    tx.drop();
    const { before, first, seen, error } = await report;
    expect(before).toBeUndefined(); // a browser reads the port (and the value) a macrotask later
    expect(first).toBe('initial');
    expect(seen.at(-1)).toBe('final');
    expect(error).toBe('RecvError');
  });

  it("a worker holding the only receiver, terminated: once let go, the sender's closed() resolves and send is refused", async () => {
    const [tx, rx] = watch.channel({ v: 1 });
    const port = rx.intoPort();
    const worker = spawn('watch', { port, mode: 'hold' }, [port]);
    expect(await message(worker)).toEqual({ value: { v: 1 } });
    worker.terminate();
    if (!hasCloseEvent) expect(dropPort(port)).toBe(true);
    await tx.closed();
    expect(() => tx.send({ v: 2 })).toThrow(expect.objectContaining({ name: 'SendError' }));
  });
});
