/** oneshot reply senders moved into real workers. */
import { mpsc, oneshot, RecvError } from 'rxjs-channel';
import { exited, spawn } from './helpers.js';

jest.setTimeout(60_000);

describe('oneshot senders in workers', () => {
  it('a reply sender moved into a worker delivers its value', async () => {
    const [tx, rx] = oneshot.channel<{ answer: number }>();
    const port = tx.intoPort();
    const worker = spawn('reply', { port, question: 21 }, [port]);
    expect(await rx).toEqual({ answer: 42 });
    expect((await exited(worker)).code).toBe(0);
  });

  it('a worker that ends without replying, or crashes, drops the sender: the receiver gets RecvError', async () => {
    for (const mode of [{ silent: true }, { crash: true }]) {
      const [tx, rx] = oneshot.channel<{ answer: number }>();
      const port = tx.intoPort();
      const worker = spawn('reply', { port, question: 1, ...mode }, [port]);
      await expect(rx).rejects.toBeInstanceOf(RecvError);
      await exited(worker);
    }
  });

  it("the receiver's close reaches the moved sender: send there returns false", async () => {
    const [tx, rx] = oneshot.channel<number>();
    const remote = oneshot.senderFromPort<number>(tx.intoPort());
    rx.close();
    await remote.closed();
    expect(remote.isClosed).toBe(true);
    expect(remote.send(1)).toBe(false);
  });

  it('refuses a port that carries an mpsc sender', () => {
    const [tx] = mpsc.channel<number>(1);
    const port = tx.intoPort();
    expect(() => oneshot.senderFromPort(port)).toThrow(/carrying a oneshot sender, got a port carrying an mpsc\/mpmc sender/);
    mpsc.senderFromPort(port).drop();
  });
});
