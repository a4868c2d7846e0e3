/**
 * dropPort: the owning thread lets go of a moved handle itself, as the far thread's end would
 * (for runtimes whose ports fire no `close` event; Chromium's MessagePorts do not by default).
 * The browser scenarios with terminated workers are in spec/browser-threads/.
 */
import { dropPort, mpmc, mpsc, oneshot, RecvError, SendError } from 'rxjs-channel';

describe('dropPort', () => {
  it('counts a moved sender down; a second call finds it gone', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const port = tx.clone().intoPort();
    expect(rx.senderCount).toBe(2);
    expect(dropPort(port)).toBe(true);
    expect(rx.senderCount).toBe(1);
    expect(dropPort(port)).toBe(false);
    tx.drop();
    expect(await rx.recv()).toBeUndefined();
  });

  it('gives back the slots lent to the sender: a local sender fills the whole capacity', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const port = tx.clone().intoPort();
    const remote = mpsc.senderFromPort<number>(port);
    await remote.send(1);
    while (rx.length !== 1) await new Promise((next) => setImmediate(next)); // arrived; the far side holds the other slot
    expect(dropPort(port)).toBe(true);
    expect(await rx.recv()).toBe(1);
    expect(tx.trySend(2)).toBe(true);
    expect(tx.trySend(3)).toBe(true);
    expect(tx.trySend(4)).toBe(false);
    await remote.closed(); // the far handle hears that it was let go
    await expect(remote.send(5)).rejects.toBeInstanceOf(SendError);
  });

  it('closes the channel of a moved mpsc receiver: a waiting send rejects SendError', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const port = rx.intoPort();
    await tx.send(1);
    const waiting = tx.send(2);
    expect(dropPort(port)).toBe(true);
    await expect(waiting).rejects.toBeInstanceOf(SendError);
    expect(tx.isClosed).toBe(true);
  });

  it('puts the values handed to a moved mpmc receiver and not taken back into the channel', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const port = rx.clone().intoPort();
    const remote = mpmc.receiverFromPort<number>(port);
    await tx.send(1);
    await tx.send(2);
    while (rx.length !== 0) await new Promise((next) => setImmediate(next)); // handed to the far receiver, not taken
    expect(dropPort(port)).toBe(true);
    tx.drop();
    const got: number[] = [];
    for await (const v of rx) got.push(v);
    expect(got).toEqual([1, 2]);
    remote.close();
  });

  it('drops a moved oneshot sender: the receiver gets RecvError', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const port = tx.intoPort();
    expect(dropPort(port)).toBe(true);
    await expect(rx).rejects.toBeInstanceOf(RecvError);
  });

  it('leaves the port unopenable here, and refuses what is not an object', () => {
    const [tx] = mpsc.channel<number>(1);
    const port = tx.intoPort();
    dropPort(port);
    expect(() => mpsc.senderFromPort(port)).toThrow(/got a port already opened/);
    expect(() => dropPort(42 as never)).toThrow(new TypeError('Expected `port` to be a MessagePort made by intoPort(), got `42` (number)'));
    const { port1, port2 } = new MessageChannel();
    expect(dropPort(port1)).toBe(false); // not made by intoPort()
    port1.close();
    port2.close();
  });
});
