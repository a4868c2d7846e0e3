import { lastValueFrom, take, toArray } from 'rxjs';
import { mpsc, SendError, ReceiverBusyError } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';

describe('mpsc smoke', () => {
  it('waits while full and hands the freed slot to the oldest waiter', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    await tx.send(1);
    const second = tx.send(2);
    expect(await stateOf(second)).toEqual({ state: 'pending' });
    expect(await rx.recv()).toBe(1);
    expect(tx.trySend(3)).toBe(false);
    expect(await stateOf(second)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await rx.recv()).toBe(2);
  });

  it('re-subscribes sequentially without losing values', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    for (let i = 0; i < 5; i++) tx.trySend(i);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(take(2), toArray()))).toEqual([0, 1]);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4]);
  });

  it('busy for a second concurrent subscriber', () => {
    const [, rx] = mpsc.channel<number>(8);
    rx.subscribe();
    let err: unknown;
    rx.subscribe({ error: (e) => (err = e) });
    expect(err).toBeInstanceOf(ReceiverBusyError);
  });

  it('rejects pending sends on close with the value', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const p = tx.send(2);
    rx.close();
    const s = await stateOf(p);
    expect(s.state).toBe('rejected');
    expect((s as { reason: SendError<number> }).reason.value).toBe(2);
    await flush();
  });

  it('for await with break keeps buffered values', async () => {
    const [tx, rx] = mpsc.channel<number>(8);
    for (let i = 0; i < 4; i++) tx.trySend(i);
    tx.drop();
    const seen: number[] = [];
    for await (const v of rx) {
      seen.push(v);
      if (v === 1) break;
    }
    expect(seen).toEqual([0, 1]);
    const rest: number[] = [];
    for await (const v of rx) rest.push(v);
    expect(rest).toEqual([2, 3]);
  });
});
