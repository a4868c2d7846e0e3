/**
 * broadcast and watch handles on ports as Chromium ships them: no `close` event, and no
 * synchronous read (no `receiveMessageOnPort`), so a port's hello arrives a macrotask after it
 * is opened. A sender that lets go must say so in a message, and a watch receiver's value comes
 * with the hello. In one thread, with both taken away; the same scenarios run across real
 * Chromium workers in spec/browser-threads/ (npm run test:browser-threads).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { broadcast, RecvError, watch } from 'rxjs-channel';

const proto = MessagePort.prototype as unknown as { addEventListener: (type: string, ...rest: unknown[]) => void };
const addEventListener = proto.addEventListener;
const proc = process as unknown as { getBuiltinModule: (id: string) => unknown };
const getBuiltinModule = proc.getBuiltinModule;

jest.setTimeout(10_000);

beforeAll(() => {
  proto.addEventListener = function (this: unknown, type: string, ...rest: unknown[]) {
    if (type !== 'close') addEventListener.call(this, type, ...rest);
  };
  // The library looks receiveMessageOnPort up once, at the first port it opens: this file's.
  proc.getBuiltinModule = (id: string) => (id === 'node:worker_threads' ? {} : getBuiltinModule.call(process, id));
});
afterAll(() => {
  proto.addEventListener = addEventListener;
  proc.getBuiltinModule = getBuiltinModule;
});

describe('broadcast and watch senders that let go, on ports without a close event', () => {
  it('a broadcast sender opened from a port and dropped: the receivers here get its values, then the end', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const other = tx.subscribe();
    const remote = broadcast.senderFromPort<number>(tx.intoPort());
    const [a, b] = [lastValueFrom(rx.pipe(toArray())), lastValueFrom(other.pipe(toArray()))];
    remote.send(1);
    remote.send(2);
    remote.drop();
    expect(await a).toEqual([1, 2]);
    expect(await b).toEqual([1, 2]);
  });

  it('a broadcast sender moved on twice, then dropped, ends the receivers here', async () => {
    const [tx, rx] = broadcast.channel<number>(8);
    const first = broadcast.senderFromPort<number>(tx.intoPort());
    const second = broadcast.senderFromPort<number>(first.intoPort());
    const all = lastValueFrom(rx.pipe(toArray()));
    second.send(3);
    second.drop();
    expect(await all).toEqual([3]);
  });

  it('a watch sender opened from a port and dropped: the receiver here sees its value, then changed() rejects RecvError', async () => {
    const [tx, rx] = watch.channel(0);
    const remote = watch.senderFromPort<number>(tx.intoPort());
    remote.send(1);
    remote.drop();
    await rx.changed();
    expect(rx.borrowAndUpdate()).toBe(1);
    await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
    expect(rx.borrow()).toBe(1);
  });

  it('a watch sender moved on, then dropped, ends the receiver here', async () => {
    const [tx, rx] = watch.channel(0);
    const first = watch.senderFromPort<number>(tx.intoPort());
    const second = watch.senderFromPort<number>(first.intoPort());
    second.send(2);
    second.drop();
    await rx.changed();
    expect(rx.borrowAndUpdate()).toBe(2);
    await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
  });
});

describe('a watch receiver opened before its hello arrives', () => {
  it('has no value yet; changed() resolves when the current value arrives, then it sees the later ones and the end', async () => {
    const [tx, rx] = watch.channel('initial');
    const remote = watch.receiverFromPort<string>(rx.intoPort());
    expect(remote.borrow()).toBeUndefined(); // the value is in the port's first message
    expect(remote.hasChanged()).toBe(false);
    await remote.changed();
    expect(remote.borrowAndUpdate()).toBe('initial');
    tx.send('final');
    tx.drop();
    await remote.changed();
    expect(remote.borrowAndUpdate()).toBe('final');
    await expect(remote.changed()).rejects.toBeInstanceOf(RecvError);
  });

  it('its Observable emits the current value first (not the missing one), then later values, then completes', async () => {
    const [tx, rx] = watch.channel('initial');
    const remote = watch.receiverFromPort<string>(rx.intoPort());
    const seen = lastValueFrom(remote.pipe(toArray()));
    await remote.changed();
    tx.send('final');
    tx.drop();
    expect(await seen).toEqual(['initial', 'final']);
  });

  it('a receiver that had not seen the current value sees it once', async () => {
    const [tx, rx] = watch.channel(0);
    tx.send(1);
    const remote = watch.receiverFromPort<number>(rx.intoPort());
    await remote.changed();
    expect(remote.borrowAndUpdate()).toBe(1);
    expect(remote.hasChanged()).toBe(false);
    tx.drop();
    await expect(remote.changed()).rejects.toBeInstanceOf(RecvError);
  });

  it('dropped there, it lets go here: tx.closed() resolves and send is refused', async () => {
    const [tx, rx] = watch.channel({ v: 1 });
    const remote = watch.receiverFromPort<{ v: number }>(rx.intoPort());
    await remote.changed();
    expect(remote.borrow()).toEqual({ v: 1 });
    remote.drop();
    await tx.closed();
    expect(() => tx.send({ v: 2 })).toThrow(expect.objectContaining({ name: 'SendError' }));
  });
});
