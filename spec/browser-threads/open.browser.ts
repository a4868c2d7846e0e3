/**
 * Opening ports in Chromium: what is refused at once, and a port of the wrong kind, which a
 * browser can only tell when the port's first message arrives (no receiveMessageOnPort).
 */
import { dropPort, mpsc } from 'rxjs-channel';
import { hasCloseEvent, message, spawn, terminateAll } from './helpers.js';

jest.setTimeout(15_000);
afterEach(terminateAll);

describe('opening a port in a browser', () => {
  it('refuses at once what is not a port, and a port already opened, saying what it got', () => {
    expect(() => mpsc.senderFromPort({} as never)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying an mpsc/mpmc sender, got `{}` (object)'));
    const [tx] = mpsc.channel<number>(1);
    const port = tx.intoPort();
    const remote = mpsc.senderFromPort<number>(port);
    expect(() => mpsc.senderFromPort(port)).toThrow(/got a port already opened/);
    remote.drop();
  });

  it('a port of the wrong kind opened in a worker: no throw there at once, a TypeError when its hello arrives (an unhandled rejection there), the handle closed and its waiting send refused', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const port = rx.intoPort(); // carries an mpsc receiver; the worker opens it as a sender
    const worker = spawn('wrong-kind', { port }, [port]);
    const report = await message<{ error: { name: string; message: string }; sent: string; isClosed: boolean; closed: boolean }>(worker);
    expect(report.error.name).toBe('TypeError');
    expect(report.error.message).toBe('Expected `port` to be a MessagePort carrying an mpsc/mpmc sender, got a port carrying an mpsc receiver');
    expect(report.sent).toBe('SendError');
    expect(report).toMatchObject({ isClosed: true, closed: true });
    // The refusing side closed its port: the receiver that moved is gone. Without the close
    // event the page lets it go itself.
    if (!hasCloseEvent) expect(dropPort(port)).toBe(true);
    await tx.closed();
    expect(tx.isClosed).toBe(true);
  });
});
