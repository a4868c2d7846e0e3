/**
 * Dead workers in Chromium. A terminated worker's ports fire `close` only where the browser
 * has the MessagePort close event (Chromium 156 ships it off, behind the
 * MessagePortCloseEvent feature), and a worker that throws is not ended at all: its handles
 * live on. So the owning thread ties the handles to the worker itself: on its error, or when
 * it terminates it, it calls `dropPort(port)` with the ports it sent there. Each scenario runs
 * in both configurations; the ones that rely on the close event alone are skipped without it.
 */
import { dropPort, mpsc, SendError } from 'rxjs-channel';
import { failed, hasCloseEvent, message, spawn, terminateAll } from './helpers.js';

interface Item {
  id: number;
  seq: number;
}

jest.setTimeout(15_000);
afterEach(terminateAll);

/** Runs only where the port's close event exists (the library's own notice of a dead thread). */
const withCloseEvent = hasCloseEvent ? it : it.skip;

/** A producer worker to be terminated mid-stream and a finite one; the receiver's view. */
async function terminatedProducer(release: (port: MessagePort) => void): Promise<void> {
  const [tx, rx] = mpsc.channel<Item>(8);
  const endless = tx.clone().intoPort();
  const finite = tx.clone().intoPort();
  tx.drop();
  const doomed = spawn('producer', { port: endless, id: 0, forever: true }, [endless]);
  spawn('producer', { port: finite, id: 1, count: 2_000 }, [finite]);
  expect(rx.senderCount).toBe(2);
  const byId: number[][] = [[], []];
  let released = false;
  for await (const v of rx) {
    byId[v.id].push(v.seq);
    // Once: values of the other producer keep coming while this one's count stays at 100.
    if (!released && byId[0].length === 100) {
      released = true;
      doomed.terminate();
      release(endless);
    }
  }
  expect(byId[1]).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
  expect(byId[0].length).toBeGreaterThanOrEqual(100);
  expect(byId[0]).toEqual(Array.from({ length: byId[0].length }, (_, i) => i)); // a prefix, in order
  expect(rx.senderCount).toBe(0);
}

/** A consumer worker holding the moved receiver, terminated while a send waits here. */
async function terminatedConsumer(release: (port: MessagePort) => void): Promise<void> {
  const [tx, rx] = mpsc.channel<number>(2);
  const port = rx.intoPort();
  const worker = spawn('consumer', { port, hold: true }, [port]);
  await message(worker, (m: { opened?: boolean }) => m.opened === true);
  await tx.send(1);
  await tx.send(2);
  const waiting = tx.send(3); // the channel is full: the worker takes nothing
  worker.terminate();
  release(port);
  await expect(waiting).rejects.toBeInstanceOf(SendError);
  await tx.closed();
  expect(tx.isClosed).toBe(true);
}

describe('a worker terminated mid-stream', () => {
  it("a producer's sender counts down once the page drops its port: the other producer continues, the receiver ends", () =>
    terminatedProducer((port) => expect(dropPort(port)).toBe(true)));

  withCloseEvent("a producer's sender counts down by the port's close event alone", () => terminatedProducer(() => {}));

  it("a consumer's moved receiver closes the channel once the page drops its port: a waiting send rejects SendError", () =>
    terminatedConsumer((port) => expect(dropPort(port)).toBe(true)));

  withCloseEvent("a consumer's moved receiver closes the channel by the port's close event alone", () => terminatedConsumer(() => {}));
});

describe('a worker that throws', () => {
  it('stays alive with its sender (a browser does not end it): the values it sent arrive; terminating it and dropping its port ends the receiver', async () => {
    const [tx, rx] = mpsc.channel<Item>(16);
    const port = tx.intoPort();
    const worker = spawn('producer', { port, id: 3, count: 100, throwAfter: 10 }, [port]);
    const got: number[] = [];
    for (let i = 0; i < 10; i++) got.push((await rx.recv())!.seq);
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await failed(worker)).toMatch(/producer 3 failed/);
    const answer = message(worker, (m: object) => 'trySend' in m);
    worker.postMessage({ ask: 'sent' });
    expect(await answer).toMatchObject({ sent: 10 });
    expect(rx.senderCount).toBe(1); // the worker answered after its error: it lives, and so does its sender
    worker.terminate();
    if (!hasCloseEvent) expect(dropPort(port)).toBe(true);
    expect(await rx.recv()).toBeUndefined();
    expect(rx.senderCount).toBe(0);
  });
});
