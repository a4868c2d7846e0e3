/** oneshot handles moved into Chromium module workers: reply channels both ways. */
import { dropPort, oneshot, RecvError } from 'rxjs-channel';
import { failed, hasCloseEvent, message, spawn, terminateAll } from './helpers.js';

jest.setTimeout(15_000);
afterEach(terminateAll);

describe('oneshot senders in module workers', () => {
  it('a reply sender moved into a worker delivers its (structured-cloned) value', async () => {
    const [tx, rx] = oneshot.channel<{ answer: number; asked: Map<string, number> }>();
    const port = tx.intoPort();
    spawn('reply', { port, question: 21 }, [port]);
    const reply = await rx;
    expect(reply.answer).toBe(42);
    expect(reply.asked).toBeInstanceOf(Map);
    expect([...reply.asked]).toEqual([['question', 21]]);
  });

  it('a handler that throws before replying keeps the sender (the worker lives); ending it and dropping the port gives RecvError', async () => {
    const [tx, rx] = oneshot.channel<{ answer: number }>();
    const port = tx.intoPort();
    const worker = spawn('reply', { port, question: 1, crash: true }, [port]);
    expect(await failed(worker)).toMatch(/handler crashed/);
    worker.terminate();
    if (!hasCloseEvent) expect(dropPort(port)).toBe(true);
    await expect(rx).rejects.toBeInstanceOf(RecvError);
  });
});

describe('oneshot receivers in module workers', () => {
  it('a receiver moved into a worker gets the value sent here', async () => {
    const [tx, rx] = oneshot.channel<{ n: number }>();
    const port = rx.intoPort();
    const worker = spawn('oneshot-rx', { port }, [port]);
    const outcome = message<{ value?: unknown }>(worker, (m) => typeof m === 'object');
    await message(worker, (m) => m === 'ready');
    expect(tx.send({ n: 7 })).toBe(true);
    expect(await outcome).toEqual({ value: { n: 7 } });
  });

  it('the sender dropped here rejects the receiver there with RecvError', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const port = rx.intoPort();
    const worker = spawn('oneshot-rx', { port }, [port]);
    const outcome = message(worker, (m) => typeof m === 'object');
    tx.drop();
    expect(await outcome).toEqual({ error: 'RecvError' });
  });
});
