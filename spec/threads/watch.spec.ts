/**
 * watch across real `worker_threads`: senders and receivers moved into ports (`intoPort()`),
 * opened in workers (`watch.senderFromPort`, `receiverFromPort`), with the kind's own
 * semantics across the port: the latest value, coalesced versions, `changed()` and what a
 * receiver has seen, the end after a final unseen version.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { broadcast, RecvError, select, SendError, SenderDroppedError, watch } from 'rxjs-channel';
import { runMain } from './child.js';
import { exited, message, spawn, until } from './helpers.js';

interface Report<T> {
  first: T;
  hadChanged: boolean;
  seen: T[];
  error: { name: string; message: string } | null;
}

const isReport = (m: unknown): boolean => typeof m === 'object' && m !== null && 'seen' in m;

/** Strictly increasing: versions are coalesced, never repeated or reordered. */
function increasing(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]!);
}

jest.setTimeout(60_000);

describe('watch senders in workers', () => {
  it('a sender moved into a worker updates the value here; receivers see the latest, then the end', async () => {
    const [tx, rx] = watch.channel(0);
    const port = tx.intoPort();
    expect(tx.isDropped).toBe(true);
    expect(() => tx.send(1)).toThrow(SenderDroppedError);
    expect(rx.isClosed).toBe(false); // the port stands for the moved sender
    const observed = lastValueFrom(rx.pipe(toArray()));
    const done = exited(spawn('watch', { port, mode: 'send', count: 1_000, spaced: true }, [port]));
    const seen: number[] = [];
    for (;;) {
      try {
        await rx.changed();
      } catch (e) {
        expect(e).toBeInstanceOf(RecvError);
        break;
      }
      seen.push(rx.borrowAndUpdate());
    }
    expect(seen[seen.length - 1]).toBe(1_000); // the final value is always seen
    expect(increasing(seen)).toBe(true);
    const all = await observed;
    expect(all[0]).toBe(0);
    expect(all[all.length - 1]).toBe(1_000);
    expect(increasing(all)).toBe(true);
    expect(rx.borrow()).toBe(1_000);
    expect(await done).toEqual({ code: 0, error: undefined });
  });

  it('a burst of sends in one turn of the worker arrives as its last value (coalesced)', async () => {
    const [tx, rx] = watch.channel(0);
    const port = tx.intoPort();
    const observed = lastValueFrom(rx.pipe(toArray()));
    const done = exited(spawn('watch', { port, mode: 'send', count: 50 }, [port]));
    expect(await observed).toEqual([0, 50]);
    expect((await done).code).toBe(0);
  });

  it("sendModify in the worker works on the latest value, including this thread's", async () => {
    const [tx, rx] = watch.channel({ n: 0 });
    const port = tx.clone().intoPort();
    const worker = spawn('watch', { port, mode: 'modify' }, [port]);
    tx.send({ n: 5 });
    expect(await message(worker)).toEqual({ mine: { n: 6 } });
    await rx.changed(); // the local send
    await until(() => rx.borrow().n === 6);
    await exited(worker);
    await until(() => tx.senderCount === 1); // the worker's sender counted down
  });

  it('error(e) in a worker fails the receivers here with the structured-cloned reason; borrow() keeps the last value', async () => {
    const [tx, rx] = watch.channel('first');
    const port = tx.intoPort();
    const worker = spawn('watch', { port, mode: 'error' }, [port]);
    expect(await message(worker)).toEqual({ refused: 'SendError' });
    await until(() => rx.isClosed);
    const reason = await rx.changed().then(() => rx.changed()).catch((e: unknown) => e);
    expect(Object.prototype.toString.call(reason)).toBe('[object Error]');
    const { name, message: text } = reason as RangeError;
    expect({ name, text }).toEqual({ name: 'RangeError', text: 'sensor lost' });
    expect(rx.borrow()).toBe('last');
    await exited(worker);
  });

  it("the last receiver dropped here reaches the worker's sender: closed() resolves there, send is refused, sendReplace stores", async () => {
    const [tx, rx] = watch.channel(0);
    const port = tx.intoPort();
    const worker = spawn('watch', { port, mode: 'closed' }, [port]);
    expect(await message(worker)).toEqual({ receivers: 1 });
    rx.drop();
    expect(await message(worker)).toEqual({ isClosed: true, refused: 'SendError', stored: 0 });
    await exited(worker);
  });

  it('send(v, { transfer }) moves the buffer instead of copying it', async () => {
    const [tx, rx] = watch.channel<ArrayBuffer | null>(null);
    const port = tx.intoPort();
    const worker = spawn('watch', { port, mode: 'transfer' }, [port]);
    const report = message<{ detached: boolean }>(worker);
    await rx.changed();
    expect([...new Uint8Array(rx.borrow()!)]).toEqual([4, 5, 6]);
    expect(await report).toEqual({ detached: true });
    await exited(worker);
  });

  it('a value that cannot be cloned throws the DataCloneError in the worker and is not stored', async () => {
    const [tx, rx] = watch.channel<unknown>('start');
    const port = tx.intoPort();
    const worker = spawn('watch', { port, mode: 'uncloneable' }, [port]);
    const observed = lastValueFrom(rx.pipe(toArray()));
    const report = await message<{ error: { name: string }; kept: unknown }>(worker);
    expect(report).toEqual({ error: expect.objectContaining({ name: 'DataCloneError' }), kept: 'start' });
    expect(await observed).toEqual(['start', 'after']);
    await exited(worker);
  });

  it('a worker that throws drops its sender: the value it sent is here, then changed() rejects RecvError', async () => {
    const [tx, rx] = watch.channel(0);
    const port = tx.intoPort();
    const done = exited(spawn('watch', { port, mode: 'send', count: 10, throwAfter: 3, spaced: true }, [port]));
    await until(() => rx.isClosed);
    expect(rx.borrow()).toBe(3);
    await rx.changed(); // the final version, not seen yet
    await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
    expect((await done).error?.message).toBe('producer failed');
  });

  it('a receiver made in the worker from the moved sender has seen the current value and sees later sends; it counts here', async () => {
    const [tx, rx] = watch.channel('here');
    const port = tx.clone().intoPort();
    const worker = spawn('watch', { port, mode: 'subscribe' }, [port]);
    expect(await message(worker)).toEqual({ hadChanged: false, got: 'from worker' });
    await exited(worker);
    await until(() => tx.senderCount === 1 && tx.receiverCount === 1);
    expect(rx.borrow()).toBe('from worker');
  });
});

describe('watch receivers in workers', () => {
  it('a receiver moved into a worker carries its value and what it had seen; it sees the latest, then the end', async () => {
    const [tx, rx] = watch.channel(0);
    tx.send(1); // not seen by rx: the moved receiver reports it as changed
    const port = rx.intoPort();
    expect(rx.isDropped).toBe(true);
    await expect(rx.changed()).rejects.toBeInstanceOf(RecvError);
    expect(tx.receiverCount).toBe(1);
    const worker = spawn('watch', { port, mode: 'recv' }, [port]);
    const report = message<Report<number>>(worker, isReport);
    await message(worker); // ready
    for (let n = 2; n <= 500; n++) {
      tx.send(n);
      if (n % 10 === 0) await new Promise((next) => setImmediate(next));
    }
    tx.drop();
    const { first, hadChanged, seen, error } = await report;
    expect({ first, hadChanged, error }).toEqual({ first: 1, hadChanged: true, error: { name: 'RecvError', message: expect.any(String) } });
    expect(seen[0]).toBe(1); // the unseen version from before the move
    expect(seen[seen.length - 1]).toBe(500);
    expect(increasing(seen)).toBe(true);
    expect((await exited(worker)).code).toBe(0);
    expect(tx.receiverCount).toBe(0);
  });

  it('receivers in several workers all end on the final value; the Observable form too', async () => {
    const [tx, rx] = watch.channel(0);
    const workers = [false, true, false].map((observe) => {
      const port = tx.subscribe().intoPort();
      const worker = spawn('watch', { port, mode: 'recv', observe }, [port]);
      return { report: message<Report<number>>(worker, isReport), ready: message(worker), done: exited(worker) };
    });
    rx.drop();
    for (const w of workers) await w.ready;
    expect(tx.receiverCount).toBe(3);
    for (let n = 1; n <= 300; n++) {
      tx.send(n);
      if (n % 7 === 0) await new Promise((next) => setImmediate(next));
    }
    tx.drop();
    for (const { report, done } of workers) {
      const { seen, error } = await report;
      expect(seen[seen.length - 1]).toBe(300);
      expect(increasing(seen)).toBe(true);
      expect(error === null || error.name === 'RecvError').toBe(true);
      expect((await done).code).toBe(0);
    }
  });

  it("tx.error(e) reaches a worker's receiver with the structured-cloned reason", async () => {
    const [tx, rx] = watch.channel('ok');
    const port = rx.intoPort();
    const worker = spawn('watch', { port, mode: 'recv' }, [port]);
    const report = message<Report<string>>(worker, isReport);
    await message(worker); // ready
    tx.error(new TypeError('sensor gone'));
    expect(await report).toEqual({ first: 'ok', hadChanged: false, seen: [], error: { name: 'TypeError', message: 'sensor gone' } });
    await exited(worker);
  });

  it("the worker's drop counts down: the last receiver gone resolves tx.closed(), send throws SendError", async () => {
    const [tx, rx] = watch.channel(0);
    const port = rx.intoPort();
    const worker = spawn('watch', { port, mode: 'recv', dropAfter: 1 }, [port]);
    // Listened for before anything is awaited: the worker posts its report in the turn it drops
    // the receiver, and messages on two ports (this one, the channel's) keep no order between
    // them; a worker's message with no listener yet is lost (this test hung when it came first).
    const report = message<Report<number>>(worker, isReport);
    await message(worker); // ready
    tx.send(1);
    await tx.closed();
    expect(tx.isClosed).toBe(true);
    expect(() => tx.send(2)).toThrow(SendError);
    expect((await report).seen).toEqual([1]);
    await exited(worker);
  });

  it('a worker terminated, or one that throws, drops its receiver: tx.closed() resolves and nothing hangs', async () => {
    for (const crash of [false, true]) {
      const [tx, rx] = watch.channel({ at: 'start' });
      const port = rx.intoPort();
      const worker = spawn('watch', { port, mode: 'hold', crash }, [port]);
      const gone = exited(worker);
      expect(await message(worker)).toEqual({ value: { at: 'start' } });
      if (!crash) await worker.terminate();
      await tx.closed();
      expect(tx.receiverCount).toBe(0);
      const { code, error } = await gone;
      expect(code).toBe(1);
      if (crash) expect(error?.message).toBe('watcher crashed');
    }
  });
});

describe('watch ports in one thread', () => {
  it('refuses what is not a port, a port of another kind or end, and one already opened, saying what it got', () => {
    expect(() => watch.receiverFromPort(null as never)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying a watch receiver, got `null` (null)'));
    const [tx, rx] = watch.channel(0);
    const txPort = tx.intoPort();
    expect(() => watch.receiverFromPort(txPort)).toThrow(new TypeError('Expected `port` to be a MessagePort carrying a watch receiver, got a port carrying a watch sender'));
    const [btx, brx] = broadcast.channel<number>(1);
    const bPort = brx.intoPort();
    expect(() => watch.receiverFromPort(bPort)).toThrow(/carrying a watch receiver, got a port carrying a broadcast receiver/);
    const remote = watch.senderFromPort<number>(txPort);
    expect(() => watch.senderFromPort(txPort)).toThrow(/got a port already opened/);
    broadcast.receiverFromPort(bPort).drop();
    btx.drop();
    remote.drop();
    rx.drop();
  });

  it('a value that cannot be cloned cannot move: intoPort throws the DataCloneError and the handle stays', () => {
    const [tx, rx] = watch.channel<unknown>({ f() {} });
    expect(() => tx.intoPort()).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(() => rx.intoPort()).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(tx.isDropped).toBe(false);
    expect(rx.isDropped).toBe(false);
    tx.send(1);
    expect(rx.borrow()).toBe(1);
  });

  it("a moved sender's mirror is not overwritten by a value older than its own latest send", async () => {
    const [tx, rx] = watch.channel(0);
    const remote = watch.senderFromPort<number>(tx.clone().intoPort());
    tx.send(1); // in flight to the remote's mirror
    remote.send(2); // sent before hearing of 1: 2 is the latest everywhere
    expect(remote.borrow()).toBe(2);
    await until(() => rx.borrow() === 2);
    await new Promise((next) => setImmediate(next));
    expect(remote.borrow()).toBe(2);
    tx.send(3);
    await until(() => remote.borrow() === 3);
    remote.drop();
    tx.drop();
  });

  it("a moved receiver's clone() counts in receiverCount here; Observables complete when it moves", async () => {
    const [tx, rx] = watch.channel(0);
    const completed = lastValueFrom(rx.pipe(toArray()));
    const remote = watch.receiverFromPort<number>(rx.intoPort());
    expect(await completed).toEqual([0]);
    const again = remote.clone();
    await until(() => tx.receiverCount === 2);
    again.drop();
    remote.drop();
    await tx.closed();
  });
});

describe('handles opened from ports are the ordinary ones', () => {
  it('select, for await, using and clone work on watch handles opened from ports', async () => {
    const [tx, rx] = watch.channel('a');
    const remoteRx = watch.receiverFromPort<string>(rx.intoPort());
    const chosen = select({ config: remoteRx });
    const iterated: string[] = [];
    const iterating = (async () => {
      for await (const v of remoteRx.clone()) iterated.push(v);
    })();
    {
      using remoteTx = watch.senderFromPort<string>(tx.clone().intoPort());
      remoteTx.clone().drop();
      remoteTx.send('b');
    } // the moved sender is disposed here
    expect(await chosen).toEqual({ key: 'config', value: 'b' });
    await until(() => tx.senderCount === 1);
    tx.send('c');
    tx.drop();
    await iterating;
    expect(iterated[0]).toBe('a');
    expect(iterated[iterated.length - 1]).toBe('c');
    expect(remoteRx.borrow()).toBe('c');
  });
});

describe('a program moving watch handles exits by itself', () => {
  it('when its watch sender and receiver workers finish', async () => {
    expect(await runMain('exit-broadcast-watch.mjs', ['watch'])).toEqual({ code: 0, stdout: '{"last":100}\n', stderr: '' });
  });
});
