/**
 * Opening ports in one thread (a MessageChannel works within a thread too): what is refused,
 * and the handles' behaviour that needs no second thread.
 */
import { mpmc, mpsc, ReceiverDroppedError, select, SenderDroppedError } from 'rxjs-channel';
import { until } from './helpers.js';

describe('opening a port', () => {
  it('refuses what is not a port, showing it', () => {
    expect(() => mpsc.senderFromPort({} as never)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying an mpsc/mpmc sender, got `{}` (object)'));
    expect(() => mpsc.receiverFromPort(42 as never)).toThrow(/carrying an mpsc receiver, got `42` \(number\)/);
  });

  it('refuses a port carrying the other end or another kind, naming it', () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const rxPort = rx.intoPort();
    expect(() => mpsc.senderFromPort(rxPort)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying an mpsc/mpmc sender, got a port carrying an mpmc receiver'));
    expect(() => mpsc.receiverFromPort(rxPort)).toThrow(/carrying an mpsc receiver, got a port carrying an mpmc receiver/);
    const remote = mpmc.receiverFromPort<number>(rxPort); // refused twice, still opens as what it is
    tx.trySend(1);
    tx.drop();
    return expect(remote.recv()).resolves.toBe(1);
  });

  it('refuses a port already opened, and a plain port carrying no handle', () => {
    const [tx] = mpsc.channel<number>(1);
    const port = tx.intoPort();
    const remote = mpsc.senderFromPort<number>(port);
    expect(() => mpsc.senderFromPort(port)).toThrow(/got a port already opened/);
    remote.drop();
    const { port1, port2 } = new MessageChannel();
    expect(() => mpsc.senderFromPort(port1)).toThrow(/got a port carrying no rxjs-channel handle/);
    port1.close();
    port2.close();
  });
});

describe('moved handles', () => {
  it('a moved sender acts as dropped; the port still counts it', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const port = tx.intoPort();
    expect(tx.isDropped).toBe(true);
    expect(() => tx.intoPort()).toThrow(SenderDroppedError);
    await expect(tx.send(1)).rejects.toBeInstanceOf(SenderDroppedError);
    expect(rx.senderCount).toBe(1);
    const remote = mpsc.senderFromPort<number>(port);
    expect(remote.maxCapacity).toBe(2);
    remote.drop();
    expect(await rx.recv()).toBeUndefined();
    expect(rx.senderCount).toBe(0);
  });

  it('a moved mpsc receiver refuses reads with ReceiverDroppedError', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const remote = mpsc.receiverFromPort<number>(rx.intoPort());
    await expect(rx.recv()).rejects.toBeInstanceOf(ReceiverDroppedError);
    expect(() => rx.tryRecv()).toThrow(ReceiverDroppedError);
    expect(() => rx.intoPort()).toThrow(ReceiverDroppedError);
    rx.close(); // a moved handle's close does nothing
    expect(tx.isClosed).toBe(false);
    remote.close();
    await tx.closed();
    expect(tx.isClosed).toBe(true);
  });

  it('a receiver opened from a port moves again: the handle is consumed, the next one gets the values', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const remote = mpsc.receiverFromPort<number>(rx.intoPort());
    const next = mpsc.receiverFromPort<number>(remote.intoPort());
    await expect(remote.recv()).rejects.toBeInstanceOf(ReceiverDroppedError);
    expect(() => remote.intoPort()).toThrow(ReceiverDroppedError);
    await tx.send(1);
    tx.drop();
    expect(await next.recv()).toBe(1);
    expect(await next.recv()).toBeUndefined();
  });

  it('a remote reserve holds a lent slot: the bound counts it, a local sender finds the channel full', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const remote = mpsc.senderFromPort<number>(tx.clone().intoPort());
    const permit = await remote.reserve();
    expect(tx.trySend(1)).toBe(false); // the one slot is lent to the other side
    expect(tx.capacity).toBe(0);
    permit.send(5);
    expect(await rx.recv()).toBe(5);
    remote.drop();
    tx.drop();
    expect(await rx.recv()).toBeUndefined();
  });
});

describe('sharing the bound with senders of this thread', () => {
  it('a local and a remote sender waiting on a full channel are both served, in turn (no starvation)', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    const remote = mpsc.senderFromPort<string>(tx.clone().intoPort());
    tx.trySend('first');
    const sent: string[] = [];
    const far = (async () => {
      for (let i = 0; i < 20; i++) await remote.send(`remote ${i}`).then(() => sent.push('remote'));
      remote.drop();
    })();
    // The remote's ask has reached the channel: its thread holds a place in the queue.
    await until(() => rx.pendingSends === 1);
    const local = (async () => {
      for (let i = 0; i < 20; i++) await tx.send(`local ${i}`).then(() => sent.push('local'));
      tx.drop();
    })();
    const got: string[] = [];
    for await (const v of rx) {
      expect(rx.length).toBeLessThanOrEqual(1);
      got.push(v);
    }
    await Promise.all([local, far]);
    expect(got.filter((v) => v.startsWith('local'))).toEqual(Array.from({ length: 20 }, (_, i) => `local ${i}`));
    expect(got.filter((v) => v.startsWith('remote'))).toEqual(Array.from({ length: 20 }, (_, i) => `remote ${i}`));
    // Neither waited for the other to finish: they took turns at the one slot.
    expect(got.indexOf('remote 1')).toBeLessThan(got.indexOf('local 19'));
    expect(got.indexOf('local 1')).toBeLessThan(got.indexOf('remote 19'));
  });

  it('select.send waits for a slot on a sender opened from a port', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const remote = mpsc.senderFromPort<number>(tx.intoPort());
    await remote.send(1); // the channel is now full
    const sent = select({ out: select.send(remote, 7) });
    expect(await rx.recv()).toBe(1);
    expect(await sent).toEqual({ key: 'out', value: undefined });
    remote.drop();
    expect(await rx.recv()).toBe(7);
    expect(await rx.recv()).toBeUndefined();
  });
});
