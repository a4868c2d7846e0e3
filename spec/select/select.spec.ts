import { ChannelError, mpmc, mpsc, ReceiverBusyError, select, SendError, SenderDroppedError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

afterEach(() => {
  jest.useRealTimers();
});

describe('select: receive branches', () => {
  it('completes with the key and value of a ready receive', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const [, other] = mpsc.channel<string>(2);
    tx.trySend(7);
    expect(await select({ num: select.recv(rx), word: select.recv(other) })).toEqual({ key: 'num', value: 7 });
    expect(rx.length).toBe(0);
  });

  it('accepts a receiver as a branch directly', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    tx.trySend(1);
    expect(await select({ a: rx })).toEqual({ key: 'a', value: 1 });
  });

  it('waits until a value arrives on any branch and takes it from that channel only', async () => {
    const [txA, rxA] = mpsc.channel<string>(1);
    const [txB, rxB] = mpmc.channel<string>(1);
    const result = select({ a: rxA, b: rxB });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    txB.trySend('from b');
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'b', value: 'from b' } });
    txA.trySend('from a');
    expect(rxA.tryRecv()).toBe('from a');
  });

  it('completes with undefined for a channel that ended (a closed channel is ready, as in Go)', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const [, never] = mpsc.channel<number>(1);
    const result = select({ ended: rx, never });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.drop();
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'ended', value: undefined } });
  });

  it('rejects with the reason of a channel failed by error(e), after its values', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    const boom = new Error('boom');
    tx.error(boom);
    expect(await select({ a: rx })).toEqual({ key: 'a', value: 1 });
    await expect(select({ a: rx })).rejects.toBe(boom);
  });

  it('rejects ReceiverBusyError for an mpsc receiver held by a subscriber', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const sub = rx.subscribe();
    tx.trySend(1);
    await expect(select({ a: rx })).rejects.toBeInstanceOf(ReceiverBusyError);
    sub.unsubscribe();
  });

  it('a receive waiting on the same channel gets the value first; the select keeps waiting', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const direct = rx.recv();
    const result = select({ a: rx });
    tx.trySend(1);
    expect(await direct).toBe(1);
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.trySend(2);
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'a', value: 2 } });
  });

  it('survives a wake whose value another consumer took first, and wins the next one', async () => {
    const [tx, rx] = mpmc.channel<number>(2);
    const other = rx.clone();
    const result = select({ a: rx });
    tx.trySend(1);
    expect(other.tryRecv()).toBe(1); // before the select polls again
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.trySend(2);
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'a', value: 2 } });
  });
});

describe('select: send branches', () => {
  it('sends at once when a slot is free', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    expect(await select({ out: select.send(tx, 5) })).toEqual({ key: 'out', value: undefined });
    expect(rx.tryRecv()).toBe(5);
  });

  it('waits for a slot and sends then, on an mpsc or mpmc sender', async () => {
    const [tx, rx] = mpmc.channel<string>(1);
    tx.trySend('first');
    const result = select({ out: select.send(tx, 'second') });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    expect(rx.length).toBe(1);
    expect(await rx.recv()).toBe('first');
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(await rx.recv()).toBe('second');
  });

  it('does not barge ahead of senders already waiting', async () => {
    const [tx, rx] = mpsc.channel<string>(1);
    tx.trySend('a');
    const waiting = tx.send('b');
    const result = select({ out: select.send(tx, 'c') });
    expect(await rx.recv()).toBe('a');
    await waiting;
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    expect(await rx.recv()).toBe('b');
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'out', value: undefined } });
    expect(await rx.recv()).toBe('c');
  });

  it('rejects SendError carrying the value when the receiving side is or becomes closed', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(0);
    const result = select({ out: select.send(tx, 1) });
    rx.close();
    const state = await stateOf(result);
    expect(state.state).toBe('rejected');
    const error = (state as { reason: SendError<number> }).reason;
    expect(error).toBeInstanceOf(SendError);
    expect(error.value).toBe(1);
    await expect(select({ out: select.send(tx, 2) })).rejects.toMatchObject({ name: 'SendError', value: 2 });
  });

  it('rejects SenderDroppedError for a dropped sender', async () => {
    const [tx] = mpsc.channel<number>(1);
    const keep = tx.clone();
    tx.drop();
    await expect(select({ out: select.send(tx, 1) })).rejects.toBeInstanceOf(SenderDroppedError);
    expect(keep.capacity).toBe(1);
  });

  it('never waits on a channel with a drop policy', async () => {
    const [tx, rx] = mpsc.channel<number>(1, { overflow: 'dropOldest' });
    tx.trySend(1);
    expect(await select({ out: select.send(tx, 2) })).toEqual({ key: 'out', value: undefined });
    expect(rx.tryRecv()).toBe(2);
  });
});

describe('select: timeout branches (jest fake timers)', () => {
  it('wins once the time has passed, not before, with jest’s default fake timers', async () => {
    jest.useFakeTimers();
    const [, rx] = mpsc.channel<number>(1);
    let result: unknown = 'pending';
    void select({ msg: rx, late: select.timeout(100) }).then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(99);
    expect(result).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ key: 'late', value: undefined });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('clears its timer when another branch wins', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const [tx, rx] = mpsc.channel<number>(1);
    const result = select({ msg: rx, late: select.timeout(1000) });
    expect(jest.getTimerCount()).toBe(1);
    tx.trySend(3);
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'msg', value: 3 } });
    expect(jest.getTimerCount()).toBe(0);
  });

  it.each([
    ['now', {}],
    ['before 1970', { now: -1000 }],
  ])('keeps its deadline across selects that reuse it (an overall deadline; the clock reads %s)', async (_, clock) => {
    jest.useFakeTimers({ ...clock, doNotFake: ['setImmediate'] });
    const start = Date.now();
    const [tx, rx] = mpsc.channel<number>(4);
    const deadline = select.timeout(100);
    const first = select({ msg: rx, deadline });
    jest.advanceTimersByTime(60);
    tx.trySend(1);
    expect(await stateOf(first)).toEqual({ state: 'fulfilled', value: { key: 'msg', value: 1 } });
    const second = select({ msg: rx, deadline });
    jest.advanceTimersByTime(39);
    expect(await stateOf(second)).toEqual({ state: 'pending' });
    jest.advanceTimersByTime(1);
    expect(await stateOf(second)).toEqual({ state: 'fulfilled', value: { key: 'deadline', value: undefined } });
    expect(Date.now()).toBe(start + 100);
    expect(await select({ deadline, idle: select.default() })).toEqual({ key: 'deadline', value: undefined });
  });

  it.each([-1, NaN, -Infinity])('throws RangeError showing a bad duration %p', (ms) => {
    expect(() => select.timeout(ms)).toThrow(RangeError);
    expect(() => select.timeout(ms)).toThrow(`got \`${String(ms)}\` (number)`);
  });

  it('throws TypeError showing a duration that is not a number', () => {
    expect(() => select.timeout('5' as unknown as number)).toThrow('got `"5"` (string)');
  });
});

describe('select: abort branches', () => {
  it('wins with the signal’s reason when it aborts, and removes its listener', async () => {
    const [, rx] = mpsc.channel<number>(1);
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const result = select({ msg: rx, stop: select.abort(controller.signal) });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    controller.abort('shutdown');
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'stop', value: 'shutdown' } });
    expect(remove).toHaveBeenCalledTimes(1);
  });

  it('is ready at once for a signal already aborted', async () => {
    const reason = new Error('gone');
    expect(await select({ stop: select.abort(AbortSignal.abort(reason)) })).toEqual({ key: 'stop', value: reason });
  });

  it('removes its listener when another branch wins', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const controller = new AbortController();
    const add = jest.spyOn(controller.signal, 'addEventListener');
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const result = select({ msg: rx, stop: select.abort(controller.signal) });
    tx.trySend(1);
    expect(await result).toEqual({ key: 'msg', value: 1 });
    expect(add).toHaveBeenCalledTimes(1);
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0][1]);
  });

  it('throws TypeError for something that is not a signal', () => {
    expect(() => select.abort({} as AbortSignal)).toThrow(TypeError);
  });
});

describe('select: default branch', () => {
  it('wins when nothing else is ready, without waiting and without consuming', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const full = select.send(tx, 2);
    const [, empty] = mpsc.channel<number>(1);
    expect(await select({ out: full, msg: empty, idle: select.default() })).toEqual({ key: 'idle', value: undefined });
    expect(rx.tryRecv()).toBe(1);
    expect(rx.tryRecv()).toBeUndefined();
  });

  it('loses to any ready branch', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(4);
    for (let i = 0; i < 20; i++) {
      const r = await select({ idle: select.default(), msg: rx });
      expect(r).toEqual({ key: 'msg', value: 4 });
      tx.trySend(4);
    }
  });

  it('resolves at once when it is the only branch', async () => {
    expect(await select({ idle: select.default() })).toEqual({ key: 'idle', value: undefined });
  });

  it('rejects TypeError for two default branches', async () => {
    await expect(select({ a: select.default(), b: select.default() })).rejects.toThrow(TypeError);
  });

  it('rejects TypeError naming the keys of both default branches, and consumes nothing', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    await expect(select({ idle: select.default(), msg: rx, other: select.default() })).rejects.toThrow(
      'Expected at most one select.default() branch, got `idle` and `other`',
    );
    expect(rx.tryRecv()).toBe(1);
  });
});

describe('select: the signal option', () => {
  it('rejects with the reason of an already aborted signal and consumes nothing', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    await expect(select({ a: rx, out: select.send(tx, 2) }, { signal: AbortSignal.abort('no') })).rejects.toBe('no');
    expect(rx.length).toBe(1);
  });

  it('rejects with the reason when it aborts while waiting, leaves every branch untouched and clears every timer', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const [txIn, rxIn] = mpsc.channel<number>(1);
    const [txOut, rxOut] = mpsc.channel<number>(1);
    txOut.trySend(0);
    const controller = new AbortController();
    const result = select(
      { msg: rxIn, out: select.send(txOut, 1), late: select.timeout(500) },
      { signal: controller.signal },
    );
    expect(jest.getTimerCount()).toBe(1);
    controller.abort(new Error('cancelled'));
    expect(await stateOf(result)).toMatchObject({ state: 'rejected', reason: new Error('cancelled') });
    expect(jest.getTimerCount()).toBe(0);
    txIn.trySend(5);
    expect(rxOut.tryRecv()).toBe(0);
    await Promise.resolve();
    expect(rxIn.tryRecv()).toBe(5);
    expect(rxOut.tryRecv()).toBeUndefined();
  });

  it('an abort between a wake and the poll it scheduled rejects, and the woken branches stay untouched', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const [outTx, outRx] = mpmc.channel<number>(1);
    outTx.trySend(0);
    const controller = new AbortController();
    const result = select({ msg: rx, out: select.send(outTx, 1) }, { signal: controller.signal });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.trySend(5); // wakes the select; it polls again in a promise job
    expect(outRx.tryRecv()).toBe(0); // a slot is free for the send branch too
    controller.abort('stop'); // before that job runs
    expect(await stateOf(result)).toEqual({ state: 'rejected', reason: 'stop' });
    expect(rx.tryRecv()).toBe(5);
    expect(outRx.tryRecv()).toBeUndefined();
  });

  it('removes its abort listener when a branch wins', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const controller = new AbortController();
    const add = jest.spyOn(controller.signal, 'addEventListener');
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const result = select({ msg: rx }, { signal: controller.signal });
    tx.trySend(1);
    expect(await result).toEqual({ key: 'msg', value: 1 });
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0][1]);
  });

  it('throws TypeError showing a signal that is not an AbortSignal', async () => {
    const [, rx] = mpsc.channel<number>(1);
    await expect(select({ a: rx }, { signal: 'x' as unknown as AbortSignal })).rejects.toThrow('got `"x"` (string)');
  });
});

describe('select: disabled branches', () => {
  it('ignores a key set to undefined, as Go ignores a nil channel', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const off: mpsc.Receiver<number> | undefined = undefined;
    for (let i = 0; i < 20; i++) {
      expect(await select({ on: select.default(), off: off })).toEqual({ key: 'on', value: undefined });
    }
    expect(await select({ msg: rx, off })).toEqual({ key: 'msg', value: 1 });
  });

  it('rejects TypeError when every branch is disabled', async () => {
    await expect(select({ a: undefined, b: undefined })).rejects.toThrow('at least one enabled branch');
  });
});

describe('select: argument checks', () => {
  it.each([
    ['null', null, '`null` (null)'],
    ['a number', 3, '`3` (number)'],
    ['a string', 'ab', '`"ab"` (string)'],
    ['undefined', undefined, '`undefined` (undefined)'],
    ['a function', function branches() {}, '`[function branches]` (function)'],
  ])('rejects TypeError showing branches that are %s', async (_label, branches, shown) => {
    await expect(select(branches as never)).rejects.toThrow(TypeError);
    await expect(select(branches as never)).rejects.toThrow(`Expected \`branches\` to be an object of select branches, got ${shown}`);
  });

  it('rejects TypeError for an object with no branch', async () => {
    await expect(select({})).rejects.toThrow('at least one enabled branch');
  });

  it('rejects TypeError naming the key of a value that is not a branch', async () => {
    await expect(select({ oops: 42 } as never)).rejects.toThrow('Expected `branches.oops` to be a select branch');
    expect(() => select.recv({} as never)).toThrow(TypeError);
  });

  it('throws TypeError when select.send is given something that is not a sender', () => {
    expect(() => select.send({} as mpsc.Sender<number>, 1)).toThrow('Expected `tx` to be an mpsc or mpmc Sender');
  });
});

describe('select: fairness', () => {
  it('picks each of two ready branches about equally often', async () => {
    const [txA, rxA] = mpsc.unboundedChannel<number>();
    const [txB, rxB] = mpsc.unboundedChannel<number>();
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      txA.trySend(i);
      txB.trySend(i);
    }
    const wins = { a: 0, b: 0 };
    for (let i = 0; i < runs; i++) wins[(await select({ a: rxA, b: rxB })).key]++;
    // Binomial(2000, 0.5): standard deviation ~22; 45%..55% is beyond 4.4 sigma either side.
    expect(wins.a).toBeGreaterThan(runs * 0.45);
    expect(wins.b).toBeGreaterThan(runs * 0.45);
    expect(rxA.length + rxB.length).toBe(runs);
  });

  it('is uniform among the ready branches whatever their position, with branches not ready in between', async () => {
    const ready = [mpsc.unboundedChannel<number>(), mpsc.unboundedChannel<number>(), mpsc.unboundedChannel<number>()];
    const idle = [mpsc.channel<number>(1), mpsc.channel<number>(1)];
    const runs = 3000;
    for (const [tx] of ready) for (let i = 0; i < runs; i++) tx.trySend(i);
    const wins: Record<string, number> = { r0: 0, r1: 0, r2: 0 };
    for (let i = 0; i < runs; i++) {
      const r = await select({ r0: ready[0][1], i0: idle[0][1], r1: ready[1][1], i1: idle[1][1], r2: ready[2][1] });
      wins[r.key]++;
    }
    // Binomial(3000, 1/3): standard deviation ~26; 29%..37.5% is beyond 4.6 sigma either side.
    for (const key of ['r0', 'r1', 'r2']) {
      expect(wins[key]).toBeGreaterThan(runs * 0.29);
      expect(wins[key]).toBeLessThan(runs * 0.375);
    }
  });
});

describe('select: cancel safety', () => {
  it('completes exactly one of many ready branches: the others consume and send nothing', async () => {
    for (let round = 0; round < 50; round++) {
      const receivers = [mpsc.channel<number>(1), mpmc.channel<number>(1), mpsc.channel<number>(1)];
      for (const [tx] of receivers) tx.trySend(round);
      const [outTx, outRx] = mpsc.channel<string>(2);
      const [outTx2, outRx2] = mpmc.channel<string>(2);
      const r = await select({
        r0: receivers[0][1],
        r1: receivers[1][1],
        r2: receivers[2][1],
        s0: select.send(outTx, 's0'),
        s1: select.send(outTx2, 's1'),
      });
      const consumed = receivers.filter(([, rx]) => rx.length === 0).length;
      const sent = outRx.length + outRx2.length;
      expect(consumed + sent).toBe(1);
      if (r.key.startsWith('r')) expect(r.value).toBe(round);
      if (r.key === 's0') expect(outRx.tryRecv()).toBe('s0');
      if (r.key === 's1') expect(outRx2.tryRecv()).toBe('s1');
    }
  });

  it('loses no value when selects run in a loop until two channels end', async () => {
    const [txA, rxA] = mpsc.channel<number>(2);
    const [txB, rxB] = mpmc.channel<number>(3);
    const produce = async (tx: mpsc.Sender<number>, base: number): Promise<void> => {
      for (let i = 0; i < 50; i++) await tx.send(base + i);
      tx.drop();
    };
    void produce(txA, 0);
    void produce(txB, 1000);
    const got: Record<'a' | 'b', number[]> = { a: [], b: [] };
    const open = { a: true, b: true };
    while (open.a || open.b) {
      const r = await select({ ...(open.a ? { a: rxA } : {}), ...(open.b ? { b: rxB } : {}) } as { a: mpsc.Receiver<number>; b: mpmc.Receiver<number> });
      if (r.value === undefined) open[r.key] = false;
      else got[r.key].push(r.value);
    }
    expect(got.a).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(got.b).toEqual(Array.from({ length: 50 }, (_, i) => 1000 + i));
  });

  it('a dropped mpmc handle is ready with undefined and takes nothing', async () => {
    const [tx, rx] = mpmc.channel<number>(1);
    const keep = rx.clone();
    tx.trySend(1);
    rx.drop();
    expect(await select({ gone: rx })).toEqual({ key: 'gone', value: undefined });
    expect(keep.tryRecv()).toBe(1);
    expect(() => rx.clone()).toThrow(ChannelError);
  });
});

describe('seams: select.timeout beyond the 32-bit timer range', () => {
  const MAX_TIMER = 2 ** 31 - 1;

  it('a timeout longer than 2^31 - 1 ms is still pending after 2^31 - 1 ms and wins after the full time', async () => {
    jest.useFakeTimers();
    const ms = 2 ** 31 + 5000;
    const [, rx] = mpsc.channel<number>(1);
    let result: unknown = 'pending';
    void select({ msg: rx, late: select.timeout(ms) }).then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toBe('pending');
    await jest.advanceTimersByTimeAsync(MAX_TIMER - 1);
    expect(result).toBe('pending');
    await jest.advanceTimersByTimeAsync(ms - MAX_TIMER - 1);
    expect(result).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ key: 'late', value: undefined });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('select.timeout(Infinity) is allowed and never fires; another branch still wins and no timer is left', async () => {
    jest.useFakeTimers();
    const [tx, rx] = mpsc.channel<number>(1);
    let result: unknown = 'pending';
    void select({ msg: rx, never: select.timeout(Infinity) }).then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(2 ** 33);
    expect(result).toBe('pending');
    tx.trySend(1);
    await jest.advanceTimersByTimeAsync(0);
    expect(result).toEqual({ key: 'msg', value: 1 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it.each([NaN, -1, -Infinity])('select.timeout(%p) throws RangeError showing the value', (ms) => {
    expect(() => select.timeout(ms)).toThrow(RangeError);
    expect(() => select.timeout(ms)).toThrow(`got \`${String(ms)}\` (number)`);
  });
});

describe('seams: select never takes a value from an mpsc receiver another consumer holds', () => {
  it('a select waiting on a receiver that a subscriber then takes: the subscriber gets the value, the select does not', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const result = select({ a: rx });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    const seen: number[] = [];
    const sub = rx.subscribe((v) => seen.push(v));
    tx.trySend(1);
    const s = await stateOf(result);
    expect(seen).toEqual([1]);
    if (s.state === 'rejected') expect(s.reason).toBeInstanceOf(ReceiverBusyError);
    else expect(s).toEqual({ state: 'pending' });
    sub.unsubscribe();
  });

  it('a select on a receiver held by a for-await loop between steps rejects ReceiverBusyError; the loop gets the value', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const iterator = rx[Symbol.asyncIterator]();
    tx.trySend(1);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    tx.trySend(2);
    const s = await stateOf(select({ a: rx }));
    expect(s.state).toBe('rejected');
    expect((s as { reason: unknown }).reason).toBeInstanceOf(ReceiverBusyError);
    expect(await iterator.next()).toEqual({ value: 2, done: false });
    await iterator.return!();
  });

  it('a select waiting on a receiver whose for-await loop then waits too: the loop gets the value', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const result = select({ a: rx });
    const iterator = rx[Symbol.asyncIterator]();
    const next = iterator.next();
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.trySend(1);
    expect(await stateOf(next)).toEqual({ state: 'fulfilled', value: { value: 1, done: false } });
    const s = await stateOf(result);
    if (s.state === 'rejected') expect(s.reason).toBeInstanceOf(ReceiverBusyError);
    else expect(s).toEqual({ state: 'pending' });
    await iterator.return!();
  });
});
