import { getEventListeners } from 'node:events';
import { lastValueFrom, toArray } from 'rxjs';
import { mpsc } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('rule: FIFO with no barging', () => {
  it('a slot freed by a receive goes to the longest-waiting sender', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend('first');
    const a = tx.send('a');
    const b = tx.send('b');
    expect(await rx.recv()).toBe('first');
    expect(await stateOf(a)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(b)).toEqual({ state: 'pending' });
    expect(await rx.recv()).toBe('a');
    expect(await rx.recv()).toBe('b');
  });

  it('until the waiting sender runs, trySend is false and capacity is 0', () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend('first');
    void tx.send('waiting');
    expect(rx.tryRecv()).toBe('first');
    // same synchronous step: the slot already belongs to the waiting send
    expect(tx.capacity).toBe(0);
    expect(tx.trySend('barging')).toBe(false);
    expect(tx.tryReserve()).toBeUndefined();
    expect(rx.tryRecv()).toBe('waiting');
  });

  it('waiting sends and reserves share one FIFO queue', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend('0');
    const send1 = tx.send('1');
    const reserve = tx.reserve();
    const send2 = tx.send('2');
    rx.tryRecv();
    expect(await stateOf(send1)).toEqual({ state: 'fulfilled', value: undefined });
    expect((await stateOf(reserve)).state).toBe('pending');
    rx.tryRecv();
    const permit = await reserve;
    expect((await stateOf(send2)).state).toBe('pending');
    permit.send('r');
    expect(rx.tryRecv()).toBe('r');
    expect(await stateOf(send2)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.tryRecv()).toBe('2');
  });

  it('a waiter that aborts leaves the queue, and the next in line gets the slot', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const ac = new AbortController();
    const a = tx.send(1, { signal: ac.signal });
    const b = tx.send(2);
    ac.abort();
    expect((await stateOf(a)).state).toBe('rejected');
    rx.tryRecv();
    expect(await stateOf(b)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.tryRecv()).toBe(2);
  });

  it('receives see values in the order the channel accepted them', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const tx2 = tx.clone();
    const sends = [tx.send(1), tx2.send(2), tx.send(3), tx2.send(4), tx.send(5)];
    tx.drop();
    tx2.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1, 2, 3, 4, 5]);
    await Promise.all(sends);
  });
});

describe('rule: hand-off is atomic', () => {
  it('a value handed to a waiting recv is not taken back by a later abort', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const ac = new AbortController();
    const received = rx.recv({ signal: ac.signal });
    tx.trySend(1);
    ac.abort(new Error('too late'));
    expect(await stateOf(received)).toEqual({ state: 'fulfilled', value: 1 });
    expect(rx.length).toBe(0);
  });

  it('a waiting send granted a slot is not undone by a later abort', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const sent = tx.send(2, { signal: ac.signal });
    rx.tryRecv();
    ac.abort(new Error('too late'));
    expect(await stateOf(sent)).toEqual({ state: 'fulfilled', value: undefined });
    expect(rx.tryRecv()).toBe(2);
  });

  it('a waiting reserve granted a slot is not undone by a later abort', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const reserved = tx.reserve({ signal: ac.signal });
    rx.tryRecv();
    ac.abort();
    const s = await stateOf(reserved);
    expect(s.state).toBe('fulfilled');
    expect(tx.capacity).toBe(0);
    (s as { value: mpsc.Permit<number> }).value.send(2);
    expect(rx.tryRecv()).toBe(2);
  });

  it('a batch handed to a waiting recvMany is not taken back by a later abort', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const ac = new AbortController();
    const batch = rx.recvMany(2, { signal: ac.signal });
    tx.trySend(1);
    ac.abort();
    expect(await stateOf(batch)).toEqual({ state: 'fulfilled', value: [1] });
  });
});

describe('rule: an aborted wait leaves nothing behind', () => {
  it('an aborted send leaves no value, no slot and no waiter', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const aborted = tx.send(2, { signal: ac.signal });
    ac.abort();
    expect((await stateOf(aborted)).state).toBe('rejected');
    expect(rx.tryRecv()).toBe(1);
    expect(tx.capacity).toBe(1);
    expect(rx.length).toBe(0);
    expect(rx.tryRecv()).toBeUndefined();
  });

  it('an aborted send no longer holds the channel open after the last drop', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const aborted = tx.send(2, { signal: ac.signal });
    tx.drop();
    expect(rx.isClosed).toBe(false);
    ac.abort();
    expect((await stateOf(aborted)).state).toBe('rejected');
    expect(rx.isClosed).toBe(true);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1]);
  });

  it('an aborted send rejects with signal.reason', async () => {
    const [tx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const reason = { custom: true };
    const aborted = tx.send(2, { signal: ac.signal });
    ac.abort(reason);
    expect(await stateOf(aborted)).toEqual({ state: 'rejected', reason });
  });

  it('an aborted reserve takes no slot: the freed slot goes to the next waiter or stays free', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const ac = new AbortController();
    const aborted = tx.reserve({ signal: ac.signal });
    ac.abort();
    expect((await stateOf(aborted)).state).toBe('rejected');
    rx.tryRecv();
    expect(tx.capacity).toBe(1);
    expect(tx.trySend(2)).toBe(true);
  });

  it('an aborted recv loses no value: the next value stays for the next receive', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const ac = new AbortController();
    const aborted = rx.recv({ signal: ac.signal });
    const kept = rx.recv();
    ac.abort();
    tx.trySend(1);
    expect((await stateOf(aborted)).state).toBe('rejected');
    expect(await stateOf(kept)).toEqual({ state: 'fulfilled', value: 1 });
  });
});

describe('rule: an already-aborted signal rejects at once', () => {
  const reason = new Error('already aborted');
  const signal = (): AbortSignal => AbortSignal.abort(reason);

  it('send rejects even with free capacity and sends nothing', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    expect(await stateOf(tx.send(1, { signal: signal() }))).toEqual({ state: 'rejected', reason });
    expect(rx.length).toBe(0);
  });

  it('reserve rejects even with free capacity and takes no slot', async () => {
    const [tx] = mpsc.channel<number>(2);
    expect(await stateOf(tx.reserve({ signal: signal() }))).toEqual({ state: 'rejected', reason });
    expect(tx.capacity).toBe(2);
  });

  it('recv and recvMany reject even with values buffered, and take none', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    expect(await stateOf(rx.recv({ signal: signal() }))).toEqual({ state: 'rejected', reason });
    expect(await stateOf(rx.recvMany(2, { signal: signal() }))).toEqual({ state: 'rejected', reason });
    expect(rx.length).toBe(1);
  });
});

describe('rule: abort listeners are removed when a wait ends', () => {
  it('no listener is added when the operation completes at once', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const { signal } = new AbortController();
    await tx.send(1, { signal });
    (await tx.reserve({ signal })).release();
    await rx.recv({ signal });
    tx.trySend(2);
    await rx.recvMany(2, { signal });
    expect(listeners(signal)).toBe(0);
  });

  type Case = [string, (tx: mpsc.Sender<number>, rx: mpsc.Receiver<number>, signal: AbortSignal, ac: AbortController) => [Promise<unknown>, () => void]];
  const full = (tx: mpsc.Sender<number>): void => void tx.trySend(0);
  const cases: Case[] = [
    ['a send granted a slot', (tx, rx, signal) => (full(tx), [tx.send(1, { signal }), () => rx.tryRecv()])],
    ['a send rejected by close', (tx, rx, signal) => (full(tx), [tx.send(1, { signal }), () => rx.close()])],
    ['a send rejected by error(e)', (tx, _rx, signal) => (full(tx), [tx.send(1, { signal }), () => tx.error('e')])],
    ['a send aborted', (tx, _rx, signal, ac) => (full(tx), [tx.send(1, { signal }), () => ac.abort()])],
    ['a reserve granted a slot', (tx, rx, signal) => (full(tx), [tx.reserve({ signal }), () => rx.tryRecv()])],
    ['a reserve rejected by close', (tx, rx, signal) => (full(tx), [tx.reserve({ signal }), () => rx.close()])],
    ['a reserve aborted', (tx, _rx, signal, ac) => (full(tx), [tx.reserve({ signal }), () => ac.abort()])],
    ['a recv handed a value', (tx, rx, signal) => [rx.recv({ signal }), () => tx.trySend(1)]],
    ['a recv ended by the last drop', (tx, rx, signal) => [rx.recv({ signal }), () => tx.drop()]],
    ['a recv ended by close', (_tx, rx, signal) => [rx.recv({ signal }), () => rx.close()]],
    ['a recv rejected by error(e)', (tx, rx, signal) => [rx.recv({ signal }), () => tx.error('e')]],
    ['a recv aborted', (_tx, rx, signal, ac) => [rx.recv({ signal }), () => ac.abort()]],
    ['a recvMany handed a value', (tx, rx, signal) => [rx.recvMany(3, { signal }), () => tx.trySend(1)]],
    ['a recvMany ended by the last drop', (tx, rx, signal) => [rx.recvMany(3, { signal }), () => tx.drop()]],
    ['a recvMany aborted', (_tx, rx, signal, ac) => [rx.recvMany(3, { signal }), () => ac.abort()]],
  ];

  it.each(cases)('%s', async (_label, start) => {
    const [tx, rx] = mpsc.channel<number>(1);
    const ac = new AbortController();
    const [promise, end] = start(tx, rx, ac.signal, ac);
    promise.catch(() => {});
    expect(listeners(ac.signal)).toBe(1);
    end();
    await stateOf(promise);
    expect((await stateOf(promise)).state).not.toBe('pending');
    expect(listeners(ac.signal)).toBe(0);
  });

  it('many waits on one signal each add one listener and remove it', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const { signal } = new AbortController();
    const sends = [1, 2, 3].map((n) => tx.send(n, { signal }));
    expect(listeners(signal)).toBe(3);
    for (let i = 0; i < 4; i++) await rx.recv();
    await Promise.all(sends);
    expect(listeners(signal)).toBe(0);
  });
});
