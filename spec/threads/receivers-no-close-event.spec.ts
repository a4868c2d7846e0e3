/**
 * Moved receivers on ports without a `close` event, as Chromium's are: a receiver whose stream
 * ended, or that moved on, must say so in a message, or the owning thread keeps counting it.
 * In one thread, with the event suppressed on every MessagePort.
 */
import { mpmc, oneshot } from 'rxjs-channel';
import { until } from './helpers.js';

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

describe('moved receivers on ports without a close event', () => {
  it('an mpmc receiver whose stream ended there stops counting here', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const remote = mpmc.receiverFromPort<number>(rx.clone().intoPort());
    expect(rx.receiverCount).toBe(2);
    await tx.send(1);
    tx.drop();
    expect(await remote.recv()).toBe(1);
    expect(await remote.recv()).toBeUndefined();
    await until(() => rx.receiverCount === 1);
    expect(rx.receiverCount).toBe(1);
  });

  it('an mpmc receiver moved on twice counts once, and not at all once dropped', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const first = mpmc.receiverFromPort<number>(rx.clone().intoPort());
    const second = mpmc.receiverFromPort<number>(first.intoPort());
    await tx.send(7);
    expect(await second.recv()).toBe(7);
    expect(rx.receiverCount).toBe(2);
    second.drop();
    await until(() => rx.receiverCount === 1);
    expect(tx.isClosed).toBe(false);
  });

  it('a oneshot receiver moved on gets the value; the sender is not told of a close it did not make', async () => {
    const [tx, rx] = oneshot.channel<string>();
    const first = oneshot.receiverFromPort<string>(rx.intoPort());
    const second = oneshot.receiverFromPort<string>(first.intoPort());
    expect(tx.send('v')).toBe(true);
    expect(await second).toBe('v');
    expect(tx.isClosed).toBe(false);
  });
});
