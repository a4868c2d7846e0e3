import { broadcast, mpmc, mpsc, oneshot, select, watch } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

const BRANCH = 'to be a select branch (a receiver, or select.send/timeout/abort/default)';

afterEach(() => {
  jest.useRealTimers();
});

describe('select.recv and select branches: what is a branch', () => {
  it.each([
    ['undefined', undefined, '`undefined` (undefined)'],
    ['null', null, '`null` (null)'],
    ['a number', 42, '`42` (number)'],
    ['a string', 'rx', '`"rx"` (string)'],
    ['a plain object', {}, '`{}` (object)'],
    ['a function', function rx() {}, '`[function rx]` (function)'],
  ])('select.recv throws TypeError showing %s', (_label, value, shown) => {
    expect(() => select.recv(value as never)).toThrow(TypeError);
    expect(() => select.recv(value as never)).toThrow(`Expected \`rx\` ${BRANCH}, got ${shown}`);
  });

  it.each([
    ['null', null, '`null` (null)'],
    ['a number', 42, '`42` (number)'],
    ['an array', [], '`[]` (object)'],
  ])('select rejects TypeError naming the key of %s', async (_label, value, shown) => {
    await expect(select({ bad: value } as never)).rejects.toThrow(TypeError);
    await expect(select({ bad: value } as never)).rejects.toThrow(`Expected \`branches.bad\` ${BRANCH}, got ${shown}`);
  });

  it.each([
    ['mpsc', () => mpsc.channel<number>(2)],
    ['mpmc', () => mpmc.channel<number>(2)],
  ])('an %s sender is not a branch by itself: TypeError, and nothing is sent', async (_kind, make) => {
    const [tx, rx] = make();
    await expect(select({ out: tx } as never)).rejects.toThrow(TypeError);
    await expect(select({ out: tx } as never)).rejects.toThrow(`Expected \`branches.out\` ${BRANCH}, got a sender`);
    expect(() => select.recv(tx as never)).toThrow('select.send(tx, value)');
    expect(rx.length).toBe(0);
    expect(await select({ out: select.send(tx, 1) })).toEqual({ key: 'out', value: undefined });
    expect(rx.tryRecv()).toBe(1);
  });

  it('the senders of the other kinds are not branches either', async () => {
    const [btx] = broadcast.channel<number>(2);
    const [wtx, wrx] = watch.channel(0);
    const [otx, orx] = oneshot.channel<number>();
    for (const [key, tx] of [['b', btx], ['w', wtx], ['o', otx]] as const) {
      await expect(select({ [key]: tx } as never)).rejects.toThrow(`Expected \`branches.${key}\` ${BRANCH}, got a sender`);
    }
    expect(wrx.hasChanged()).toBe(false);
    expect(orx.tryRecv()).toBeUndefined();
  });

  it('a receiver of every kind is a branch, directly or through select.recv', async () => {
    const [mtx, mrx] = mpsc.channel<string>(1);
    const [ctx, crx] = mpmc.channel<string>(1);
    const [btx, brx] = broadcast.channel<string>(1);
    const [wtx, wrx] = watch.channel('w0');
    const [otx, orx] = oneshot.channel<string>();
    const branches = { m: mrx, c: crx, b: brx, w: wrx, o: orx };
    for (const rx of Object.values(branches)) expect(select.recv(rx)).toBe(rx);
    mtx.trySend('m');
    ctx.trySend('c');
    btx.send('b');
    wtx.send('w');
    otx.send('o');
    const got: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const r = await select({ ...branches, idle: select.default() });
      expect(r.key).not.toBe('idle');
      got[r.key] = r.value;
      delete (branches as Record<string, unknown>)[r.key];
    }
    expect(got).toEqual({ m: 'm', c: 'c', b: 'b', w: 'w', o: 'o' });
  });
});

describe('select.send: what is a sender', () => {
  it.each([
    ['undefined', undefined, '`undefined` (undefined)'],
    ['null', null, '`null` (null)'],
    ['a plain object', {}, '`{}` (object)'],
  ])('throws TypeError showing %s', (_label, value, shown) => {
    expect(() => select.send(value as never, 1)).toThrow(TypeError);
    expect(() => select.send(value as never, 1)).toThrow(`Expected \`tx\` to be an mpsc or mpmc Sender, got ${shown}`);
  });

  it('throws TypeError for a receiver, and the receiver is left untouched', () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const [, crx] = mpmc.channel<number>(2);
    tx.trySend(1);
    expect(() => select.send(rx as never, 2)).toThrow('Expected `tx` to be an mpsc or mpmc Sender, got');
    expect(() => select.send(crx as never, 2)).toThrow(TypeError);
    expect(rx.tryRecv()).toBe(1);
    expect(rx.tryRecv()).toBeUndefined();
  });

  it('throws TypeError for the senders of broadcast, watch and oneshot channels', () => {
    const [btx] = broadcast.channel<number>(2);
    const [wtx] = watch.channel(0);
    const [otx] = oneshot.channel<number>();
    for (const tx of [btx, wtx, otx]) {
      expect(() => select.send(tx as never, 1)).toThrow('Expected `tx` to be an mpsc or mpmc Sender');
    }
  });
});

describe('select.timeout: timers', () => {
  it('select.timeout(Infinity) arms no timer while the select waits', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const [tx, rx] = mpsc.channel<number>(1);
    const result = select({ msg: rx, never: select.timeout(Infinity) });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    expect(jest.getTimerCount()).toBe(0);
    tx.trySend(1);
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'msg', value: 1 } });
  });

  it('select.timeout(0) is allowed (the bound of the range) and fires once the clock moves', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const [, rx] = mpsc.channel<number>(1);
    const result = select({ msg: rx, now: select.timeout(0) });
    jest.advanceTimersByTime(0);
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'now', value: undefined } });
  });

  it('one timeout under two keys of a select wins once, under one of them, when it fires', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const [, rx] = mpsc.channel<number>(1);
    const t = select.timeout(50);
    const result = select({ msg: rx, a: t, b: t });
    jest.advanceTimersByTime(50);
    const s = await stateOf(result);
    expect(s.state).toBe('fulfilled');
    expect(['a', 'b']).toContain((s as { value: { key: string } }).value.key);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('select.abort: argument checks', () => {
  it.each([
    ['a plain object', {}, '`{}` (object)'],
    ['an AbortController', new AbortController(), '`{}` (object)'],
    ['undefined', undefined, '`undefined` (undefined)'],
  ])('throws TypeError showing %s', (_label, value, shown) => {
    expect(() => select.abort(value as never)).toThrow(TypeError);
    expect(() => select.abort(value as never)).toThrow(`Expected \`signal\` to be an AbortSignal, got ${shown}`);
  });
});
