/**
 * Ports without a `close` event, as Chromium's are (its MessagePortCloseEvent feature is off
 * by default): every handle that lets go must say so in a message, or the owning thread keeps
 * counting it and keeps the slots it lent there. Here, in one thread, the event is suppressed
 * on every MessagePort; the same scenarios run across real Chromium workers in
 * spec/browser-threads/*.browser.ts (npm run test:browser-threads).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { mpmc, mpsc } from 'rxjs-channel';

const proto = MessagePort.prototype as unknown as { addEventListener: (type: string, ...rest: unknown[]) => void };
const addEventListener = proto.addEventListener;

beforeAll(() => {
  proto.addEventListener = function (this: unknown, type: string, ...rest: unknown[]) {
    if (type !== 'close') addEventListener.call(this, type, ...rest);
  };
});
afterAll(() => {
  proto.addEventListener = addEventListener;
});

describe('moved senders on ports without a close event', () => {
  it('a sender that drops right after a send with a transfer list gives back the slots granted to it: the receiver ends', async () => {
    const [tx, rx] = mpsc.channel<ArrayBuffer>(2);
    const remote = mpsc.senderFromPort<ArrayBuffer>(tx.intoPort());
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    await remote.send(buffer, { transfer: [buffer] });
    remote.drop();
    const got = await lastValueFrom(rx.pipe(toArray()));
    expect(got.map((b) => b.byteLength)).toEqual([3]);
    expect(rx.senderCount).toBe(0);
  });

  it('a sender that drops while the owner grants it more slots gives them back: the whole capacity is free again', async () => {
    const capacity = 4;
    const [tx, rx] = mpsc.channel<number>(capacity);
    const remote = mpsc.senderFromPort<number>(tx.clone().intoPort());
    for (let i = 0; i < 3; i++) await remote.send(i); // holds the fourth slot, asks for more
    await new Promise((next) => setImmediate(next)); // the ask reached the owner: it waits for slots
    expect(await rx.recv()).toBe(0);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    remote.drop(); // while the owner grants the freed slots
    await new Promise((next) => setImmediate(next));
    await new Promise((next) => setImmediate(next));
    expect(rx.senderCount).toBe(1);
    // Every slot is back: capacity values fit without waiting.
    for (let i = 0; i < capacity; i++) expect(tx.trySend(i)).toBe(true);
    expect(tx.trySend(capacity)).toBe(false);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([0, 1, 2, 3]);
  });

  it('a sender moved further gives back its slots too: the mpmc channel ends for its receivers', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const first = mpsc.senderFromPort<number>(tx.intoPort());
    await first.send(1);
    const second = mpsc.senderFromPort<number>(first.intoPort()); // moved on, straight to the owner
    await second.send(2);
    second.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1, 2]);
  });
});
