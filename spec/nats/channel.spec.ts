/**
 * jetstream.channel / jetstream.workQueue against a real nats-server (started per suite).
 */
import { jetstream as jsClient } from '@nats-io/jetstream';
import { lastValueFrom, toArray } from 'rxjs';
import { mergeMapBounded, select, SendError, ReceiverBusyError, SenderDroppedError } from '../../lib/index.js';
import { ChannelConfigError, jetstream, RemoteChannelError, type NatsReceiver } from '../../lib/nats/index.js';
import { eventually, uniqueName, useServer } from './helpers.js';

const nats = useServer();
jest.setTimeout(30_000);

/** Settles pending promise jobs, so a promise's state can be read. */
async function state(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let s: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (s = 'resolved'),
    () => (s = 'rejected'),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return s;
}

async function drain<T>(rx: NatsReceiver<T>): Promise<T[]> {
  return lastValueFrom(rx.pipe(toArray()));
}

describe('jetstream.channel', () => {
  it('round-trips values of several types and ends once the sender drops', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<unknown>(nc, uniqueName(), { capacity: 8, heartbeat: 200 });
    const tx = await ch.sender();
    const rx = await ch.receiver();
    const values = [1, 'two', { three: [3] }, null, true];
    for (const v of values) await tx.send(v);
    await tx.drop();
    expect(await drain(rx)).toEqual(values);
    expect(rx.isClosed).toBe(true);
  });

  it('serves recv, tryRecv and recvMany, and recv resolves undefined at the end', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 8, heartbeat: 200 });
    const tx = await ch.sender();
    const rx = await ch.receiver();
    for (const n of [1, 2, 3, 4]) await tx.send(n);
    expect(await rx.recv()).toBe(1);
    await eventually(() => rx.length, (n) => n === 3);
    expect(rx.tryRecv()).toBe(2);
    expect(await rx.recvMany(5)).toEqual([3, 4]);
    expect(rx.tryRecv()).toBeUndefined();
    await tx.drop();
    expect(await rx.recv()).toBeUndefined();
    expect(await rx.recvMany(3)).toEqual([]);
  });

  it('waits while `capacity` values are stored and resumes when a receive makes room', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 3, heartbeat: 200 });
    const tx = await ch.sender();
    const other = await ch.sender();
    for (const n of [1, 2, 3]) await tx.send(n);
    const fourth = tx.send(4);
    // The server refuses another value: the channel is full, so `fourth` cannot have been stored.
    expect(await other.trySend(99)).toBe(false);
    expect(await state(fourth)).toBe('pending');
    const rx = await ch.receiver();
    expect(await rx.recv()).toBe(1);
    await fourth; // woken by the receiver's room notification
    await Promise.all([tx.drop(), other.drop()]);
    expect(await drain(rx)).toEqual([2, 3, 4]);
  });

  it('keeps one sender\'s order with many sends in flight and a full channel', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<[string, number]>(nc, uniqueName(), { capacity: 5, heartbeat: 200 });
    const a = await ch.sender();
    const b = await ch.sender();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) sends.push(a.send(['a', i]), b.send(['b', i]));
    const rx = await ch.receiver();
    const all = drain(rx);
    await Promise.all(sends);
    await Promise.all([a.drop(), b.drop()]);
    const got = await all;
    expect(got).toHaveLength(80);
    for (const who of ['a', 'b']) {
      expect(got.filter(([w]) => w === who).map(([, i]) => i)).toEqual([...Array(40).keys()]);
    }
  });

  it('stores a publish retried with the same Nats-Msg-Id once', async () => {
    const nc = await nats.connect();
    const name = uniqueName();
    const ch = await jetstream.channel<string>(nc, name, { capacity: 8, heartbeat: 200 });
    const tx = await ch.sender();
    await tx.send('once');
    // What a retry after a lost acknowledgement does: the same bytes under the same id.
    const ack = await jsClient(nc).publish(`rxc.${name}.v`, JSON.stringify('once'), { msgID: `${tx.id}-1` });
    expect(ack.duplicate).toBe(true);
    await tx.send('twice');
    await tx.drop();
    expect(await drain(await ch.receiver())).toEqual(['once', 'twice']);
  });

  it('does not end while one of several senders is alive, and ends once the last drops', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 8, heartbeat: 200 });
    const a = await ch.sender();
    const b = a.clone();
    await a.send(1);
    await a.drop();
    const rx = await ch.receiver();
    expect(await rx.recv()).toBe(1);
    // `b` is registered: the receive waits (a select with a timeout shows it has not ended).
    expect(await select({ v: rx, t: select.timeout(3 * 200 * 2) })).toEqual({ key: 't', value: undefined });
    await b.send(2);
    await b.drop();
    expect(await drain(rx)).toEqual([2]);
  });

  it('ends when a sender stops beating without dropping (a crashed process), after its entry expires', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 8, heartbeat: 200 });
    const nc2 = await nats.connect();
    const ch2 = await jetstream.channel<number>(nc2, ch.name, { capacity: 8 });
    const tx = await ch2.sender();
    await tx.send(7);
    await nc2.close(); // the connection dies with the sender still registered
    expect(await drain(await ch.receiver())).toEqual([7]);
  });

  it('rx.close() refuses waiting and later sends with SendError, resolves closed() everywhere, and drains', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 2, heartbeat: 200 });
    const nc2 = await nats.connect();
    const tx = await (await jetstream.channel<number>(nc2, ch.name, { capacity: 2 })).sender();
    await tx.send(1);
    await tx.send(2);
    const waiting = tx.send(3);
    const rx = await ch.receiver();
    const closed = tx.closed();
    await rx.close();
    await closed;
    await expect(waiting).rejects.toBeInstanceOf(SendError);
    await expect(waiting).rejects.toMatchObject({ value: 3 });
    await expect(tx.send(4)).rejects.toMatchObject({ value: 4 });
    expect(tx.isClosed).toBe(true);
    // The receiver drains what was stored, then ends although `tx` is still registered.
    expect(await drain(rx)).toEqual([1, 2]);
  });

  it('tx.error(e) ends the receiver with a RemoteChannelError carrying name and message, after draining', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 4, heartbeat: 200 });
    const tx = await ch.sender();
    await tx.send(1);
    await tx.error(new TypeError('bad input'));
    const rx = await ch.receiver();
    expect(await rx.recv()).toBe(1);
    const error = await rx.recv().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteChannelError);
    expect(error).toMatchObject({ remoteName: 'TypeError', remoteMessage: 'bad input' });
  });

  it('allows one receiver at a time across connections, and a dropped one lets the next take over', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 4, heartbeat: 200 });
    const tx = await ch.sender();
    const first = await ch.receiver();
    const nc2 = await nats.connect();
    const ch2 = await jetstream.channel<number>(nc2, ch.name, { capacity: 4 });
    await expect(ch2.receiver()).rejects.toBeInstanceOf(ReceiverBusyError);
    await tx.send(1);
    await eventually(() => first.length, (n) => n === 1);
    await first.drop(); // gives the pulled-ahead value back
    const second = await ch2.receiver();
    await tx.drop();
    expect(await drain(second)).toEqual([1]);
  });

  it('refuses sends after drop with SenderDroppedError', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 4, heartbeat: 200 });
    const tx = await ch.sender();
    await tx.drop();
    await expect(tx.send(1)).rejects.toBeInstanceOf(SenderDroppedError);
  });

  it('honours an abort signal while a send waits for room', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 1, heartbeat: 200 });
    const tx = await ch.sender();
    await tx.send(1);
    const controller = new AbortController();
    const waiting = tx.send(2, { signal: controller.signal });
    const queued = tx.send(3, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(queued).rejects.toThrow('stop');
    await tx.drop();
    expect(await drain(await ch.receiver())).toEqual([1]);
  });
});

describe('options', () => {
  it('rejects settings that conflict with the existing channel, showing both', async () => {
    const nc = await nats.connect();
    const name = uniqueName();
    await jetstream.channel<number>(nc, name, { capacity: 3 });
    const error = await jetstream.channel<number>(nc, name, { capacity: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelConfigError);
    expect((error as Error).message).toBe(`channel "${name}" exists with {"capacity":3}; asked for {"capacity":5}`);
    const kind = await jetstream.workQueue<number>(nc, name, { capacity: 3 }).catch((e: Error) => e.message);
    expect(kind).toBe(`channel "${name}" exists with {"kind":"channel"}; asked for {"kind":"workQueue"}`);
    // The same settings open it again.
    await expect(jetstream.channel<number>(nc, name, { capacity: 3 })).resolves.toBeDefined();
  });

  it('rejects a name that is not a valid stream name with a TypeError showing it', async () => {
    const nc = await nats.connect();
    await expect(jetstream.channel(nc, 'bad.name', { capacity: 1 })).rejects.toThrow(
      new TypeError('Expected `name` to be 1-64 characters of A-Z, a-z, 0-9, _ or -, got `"bad.name"` (string)'),
    );
    await expect(jetstream.channel(nc, 'a b', { capacity: 1 })).rejects.toBeInstanceOf(TypeError);
    await expect(jetstream.channel(nc, 'x', { capacity: 0 })).rejects.toThrow(
      new RangeError('Expected `capacity` to be an integer >= 1, got `0` (number)'),
    );
  });
});

describe('jetstream.workQueue', () => {
  it('hands each value to exactly one of several receivers', async () => {
    const nc = await nats.connect();
    const wq = await jetstream.workQueue<number>(nc, uniqueName(), { capacity: 10, window: 2, heartbeat: 200 });
    const receivers = await Promise.all([wq.receiver(), wq.receiver(), wq.receiver()]);
    const results = receivers.map((rx) => drain(rx));
    const tx = await wq.sender();
    for (let i = 0; i < 60; i++) await tx.send(i);
    await tx.drop();
    const got = await Promise.all(results);
    expect(got.flat().sort((x, y) => x - y)).toEqual([...Array(60).keys()]);
    expect(got.every((part) => part.length > 0)).toBe(true);
  });

  it('manual ack: nak redelivers, and an unacknowledged value goes to another receiver after ackWait', async () => {
    const nc = await nats.connect();
    const wq = await jetstream.workQueue<string>(nc, uniqueName(), { capacity: 4, ack: 'manual', ackWait: 1_000, heartbeat: 200 });
    const tx = await wq.sender();
    await tx.send('job');
    const rx1 = await wq.receiver();
    const first = (await rx1.recv())!;
    expect(first.value).toBe('job');
    expect(first.redelivered).toBe(false);
    first.nak();
    const second = (await rx1.recv())!;
    expect(second.value).toBe('job');
    expect(second.redelivered).toBe(true);
    // rx1 holds it without acknowledging: after ackWait the server gives it to rx2.
    const rx2 = await wq.receiver();
    const third = (await rx2.recv())!;
    expect(third.value).toBe('job');
    expect(third.deliveryCount).toBeGreaterThanOrEqual(3);
    await third.ack();
    await tx.drop();
    expect(await rx2.recv()).toBeUndefined();
  });
});

describe('composition with the library', () => {
  it('is a select branch', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 4, heartbeat: 200 });
    const tx = await ch.sender();
    const rx = await ch.receiver();
    await tx.send(5);
    expect(await select({ v: rx, t: select.timeout(10_000) })).toEqual({ key: 'v', value: 5 });
    await tx.drop();
    expect(await select({ v: rx, t: select.timeout(10_000) })).toEqual({ key: 'v', value: undefined });
  });

  it('a NATS sender is neither a select.send target nor a bare branch: TypeError, nothing published', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 4, heartbeat: 200 });
    const tx = await ch.sender();
    const rx = await ch.receiver();
    expect(() => select.send(tx as never, 1)).toThrow('Expected `tx` to be an mpsc or mpmc Sender, got');
    await expect(select({ out: tx } as never)).rejects.toThrow('Expected `branches.out` to be a select branch');
    await tx.send(2);
    await tx.drop();
    expect(await drain(rx)).toEqual([2]);
  });

  it('is read on demand by mergeMapBounded (a pull source: nothing overflows behind a slow project)', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 30, heartbeat: 200 });
    const tx = await ch.sender();
    for (let i = 1; i <= 30; i++) await tx.send(i);
    await tx.drop();
    const rx = await ch.receiver();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let started = 0;
    const result = lastValueFrom(
      rx.pipe(
        mergeMapBounded(async (n: number) => (started++, await gate, n * 2), { concurrency: 2 }),
        toArray(),
      ),
    );
    // Read on demand: the 2 running (and at most one requested besides) are taken; the rest
    // stay in the receiver, un-acknowledged. Read as a push source, they would all be taken.
    expect(await eventually(() => rx.length, (n) => n >= 27)).toBeGreaterThanOrEqual(27);
    expect(started).toBe(2);
    open();
    expect((await result).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => 2 * (i + 1)));
  });

  it('async iterator return() settles a pending next() without taking a value', async () => {
    const nc = await nats.connect();
    const ch = await jetstream.channel<number>(nc, uniqueName(), { capacity: 4, heartbeat: 200 });
    const tx = await ch.sender();
    const rx = await ch.receiver();
    const it = rx[Symbol.asyncIterator]();
    const pending = it.next();
    await it.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    await tx.send(9);
    await tx.drop();
    expect(await drain(rx)).toEqual([9]);
  });
});
