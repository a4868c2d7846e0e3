/** oneshot handles moved into real workers: reply senders, receivers, both ends, moves again. */
import { lastValueFrom } from 'rxjs';
import { mpsc, oneshot, ReceiverBusyError, ReceiverDroppedError, RecvError, select } from 'rxjs-channel';
import type { Worker } from 'node:worker_threads';
import { exited, message, spawn } from './helpers.js';

/** The one message a fixture posts (it posts once). */
const report = <M>(worker: Worker): Promise<M> => message<M>(worker);

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

describe('oneshot receivers in workers', () => {
  it('a receiver moved into a worker gets the value sent here, by await, Observable or select', async () => {
    for (const mode of ['await', 'observable', 'select']) {
      const [tx, rx] = oneshot.channel<{ n: number }>();
      const port = rx.intoPort();
      const worker = spawn('oneshot-rx', { port, mode }, [port]);
      const got = report(worker);
      expect(tx.send({ n: 7 })).toBe(true);
      expect(await got).toEqual({ value: { n: 7 } });
      expect((await exited(worker)).code).toBe(0);
    }
  });

  it('the sender dropped here rejects the receiver there with RecvError', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const port = rx.intoPort();
    const worker = spawn('oneshot-rx', { port }, [port]);
    const got = report(worker);
    tx.drop();
    expect(await got).toEqual({ error: 'RecvError' });
    await exited(worker);
  });

  it("the receiver's close there reaches the sender here: closed() resolves, send returns false", async () => {
    const [tx, rx] = oneshot.channel<number>();
    const port = rx.intoPort();
    const worker = spawn('oneshot-rx', { port, mode: 'close' }, [port]);
    expect(await report(worker)).toEqual({ closed: true });
    await tx.closed();
    expect(tx.isClosed).toBe(true);
    expect(tx.send(1)).toBe(false);
    await exited(worker);
  });

  it("the receiver's thread crashing counts as the receiver dropped", async () => {
    const [tx, rx] = oneshot.channel<number>();
    const port = rx.intoPort();
    const worker = spawn('oneshot-rx', { port, mode: 'crash' }, [port]);
    await tx.closed();
    expect(tx.send(1)).toBe(false);
    expect((await exited(worker)).error?.message).toBe('receiver thread crashed');
  });

  it('both ends moved (sender to one worker, receiver to another): the value goes through this thread once', async () => {
    const [tx, rx] = oneshot.channel<{ answer: number }>();
    const txPort = tx.intoPort();
    const rxPort = rx.intoPort();
    const receiver = spawn('oneshot-rx', { port: rxPort }, [rxPort]);
    const got = report(receiver);
    const sender = spawn('reply', { port: txPort, question: 4 }, [txPort]);
    expect(await got).toEqual({ value: { answer: 8 } });
    expect((await exited(sender)).code).toBe(0);
    expect((await exited(receiver)).code).toBe(0);
  });

  it('both ends moved, the sender dropped by its crashing thread: the receiver there gets RecvError', async () => {
    const [tx, rx] = oneshot.channel<{ answer: number }>();
    const txPort = tx.intoPort();
    const rxPort = rx.intoPort();
    const receiver = spawn('oneshot-rx', { port: rxPort }, [rxPort]);
    const got = report(receiver);
    const sender = spawn('reply', { port: txPort, question: 4, crash: true }, [txPort]);
    expect(await got).toEqual({ error: 'RecvError' });
    await exited(sender);
    await exited(receiver);
  });

  it('a moved sender sends a transfer list: the buffer is moved, not copied', async () => {
    const [tx, rx] = oneshot.channel<ArrayBuffer>();
    const port = tx.intoPort();
    const worker = spawn('oneshot-tx', { port, mode: 'transfer' }, [port]);
    expect(await report(worker)).toEqual({ sent: true, detached: true });
    expect([...new Uint8Array(await rx)]).toEqual([1, 2, 3]);
    await exited(worker);
  });

  it('an uncloneable value throws DataCloneError there, is not delivered, and leaves the handle unspent', async () => {
    const [tx, rx] = oneshot.channel<unknown>();
    const port = tx.intoPort();
    const worker = spawn('oneshot-tx', { port, mode: 'uncloneable' }, [port]);
    expect(await report(worker)).toEqual({ error: 'DataCloneError', spent: false, sent: true });
    expect(await rx).toBe('after');
    await exited(worker);
  });

  it('an uncloneable value sent here to a moved receiver throws DataCloneError; the next send goes through', async () => {
    const [tx, rx] = oneshot.channel<unknown>();
    const remote = oneshot.receiverFromPort<unknown>(rx.intoPort());
    expect(() => tx.send({ f() {} })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(tx.isDropped).toBe(false);
    expect(remote.tryRecv()).toBeUndefined();
    expect(tx.send('second')).toBe(true);
    expect(await remote).toBe('second');
  });
});

describe('oneshot handles moving again', () => {
  it('a receiver a worker moves on while the value is on its way reaches the next worker with the value', async () => {
    const [tx, rx] = oneshot.channel<string>();
    const port = rx.intoPort();
    const relay = spawn('oneshot-rx', { port, mode: 'move' }, [port]);
    expect(tx.send('in flight')).toBe(true); // posted to the relay, which is moving the receiver on
    const moved = await report<{ port: MessagePort; closed: boolean }>(relay);
    expect(moved.closed).toBe(true);
    await exited(relay);
    const last = spawn('oneshot-rx', { port: moved.port }, [moved.port]);
    expect(await report(last)).toEqual({ value: 'in flight' });
    await exited(last);
  });

  it('a receiver moved on by a worker, before any value, is served here directly: send, drop and close all reach it', async () => {
    for (const end of ['send', 'drop', 'close'] as const) {
      const [tx, rx] = oneshot.channel<number>();
      const port = rx.intoPort();
      const relay = spawn('oneshot-rx', { port, mode: 'move' }, [port]);
      const moved = await report<{ port: MessagePort }>(relay);
      await exited(relay); // the thread it passed through is gone
      const remote = oneshot.receiverFromPort<number>(moved.port);
      if (end === 'send') {
        expect(tx.send(5)).toBe(true);
        expect(await remote).toBe(5);
      } else if (end === 'drop') {
        tx.drop();
        await expect(remote).rejects.toBeInstanceOf(RecvError);
      } else {
        remote.close();
        await tx.closed();
        expect(tx.send(5)).toBe(false);
      }
    }
  });

  it('a receiver opened from a port moves again within a thread, and after its value came', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const first = oneshot.receiverFromPort<number>(rx.intoPort());
    const second = oneshot.receiverFromPort<number>(first.intoPort());
    expect(first.isClosed).toBe(true);
    tx.send(11);
    expect(await second).toBe(11);
    const third = oneshot.receiverFromPort<number>(second.intoPort()); // served from here now
    expect(await third).toBe(11);
  });

  it('a sender a worker moves on is served here directly: its value arrives after that thread ended', async () => {
    const [tx, rx] = oneshot.channel<string>();
    const port = tx.intoPort();
    const relay = spawn('oneshot-tx', { port, mode: 'move' }, [port]);
    const moved = await report<{ port: MessagePort; dropped: boolean }>(relay);
    expect(moved.dropped).toBe(true);
    await exited(relay);
    const remote = oneshot.senderFromPort<string>(moved.port);
    expect(remote.send('via the owner')).toBe(true);
    expect(await rx).toBe('via the owner');
  });

  it('a sender opened from a port moves again within a thread; the receiver closing reaches the last one', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const first = oneshot.senderFromPort<number>(tx.intoPort());
    const second = oneshot.senderFromPort<number>(first.intoPort());
    expect(first.isDropped).toBe(true);
    rx.close();
    await second.closed();
    expect(second.send(1)).toBe(false);
  });
});

describe('moved oneshot handles', () => {
  it('a moved receiver acts as closed here and fails reads with ReceiverDroppedError', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const remote = oneshot.receiverFromPort<number>(rx.intoPort());
    expect(rx.isClosed).toBe(true);
    expect(rx.tryRecv()).toBeUndefined();
    await expect(rx).rejects.toBeInstanceOf(ReceiverDroppedError);
    await expect(lastValueFrom(rx)).rejects.toBeInstanceOf(ReceiverDroppedError);
    expect(() => rx.intoPort()).toThrow(ReceiverDroppedError);
    rx.close(); // a moved handle's close does nothing
    expect(tx.isClosed).toBe(false);
    tx.send(1);
    expect(await remote).toBe(1);
  });

  it('refuses to move a receiver something waits on here', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const waiting = rx.then((v) => v);
    expect(() => rx.intoPort()).toThrow(ReceiverBusyError);
    tx.send(2);
    expect(await waiting).toBe(2);
  });

  it('a receiver moved after the value came carries it; one moved after the sender dropped gets RecvError', async () => {
    const [tx, rx] = oneshot.channel<string>();
    tx.send('early');
    expect(await oneshot.receiverFromPort<string>(rx.intoPort())).toBe('early');
    const [tx2, rx2] = oneshot.channel<string>();
    tx2.drop();
    await expect(oneshot.receiverFromPort<string>(rx2.intoPort())).rejects.toBeInstanceOf(RecvError);
  });

  it('a remote receiver closes like a local one, and select sees its value', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const remote = oneshot.receiverFromPort<number>(rx.intoPort());
    remote.close();
    await tx.closed();
    expect(tx.send(1)).toBe(false);
    await expect(remote).rejects.toBeInstanceOf(RecvError);
    const [tx2, rx2] = oneshot.channel<number>();
    const remote2 = oneshot.receiverFromPort<number>(rx2.intoPort());
    const chosen = select({ reply: remote2 });
    tx2.send(9);
    expect(await chosen).toEqual({ key: 'reply', value: 9 });
  });

  it('refuses a port carrying a oneshot sender where a receiver is expected', () => {
    const [tx] = oneshot.channel<number>();
    const port = tx.intoPort();
    expect(() => oneshot.receiverFromPort(port)).toThrow(/carrying a oneshot receiver, got a port carrying a oneshot sender/);
    oneshot.senderFromPort(port).drop();
  });
});
