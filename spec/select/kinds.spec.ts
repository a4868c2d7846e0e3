import { broadcast, LaggedError, oneshot, RecvError, select, watch } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('select over the other receiver kinds', () => {
  it('receives a oneshot value, waiting for it, and fails with RecvError when the sender is dropped', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const [, idle] = oneshot.channel<number>();
    const result = select({ reply: rx, idle });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.send(42);
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'reply', value: 42 } });

    const [dropped, never] = oneshot.channel<number>();
    dropped.drop();
    await expect(select({ never })).rejects.toBeInstanceOf(RecvError);
  });

  it('receives broadcast values in order and reports a lag with LaggedError', async () => {
    const [tx, rx] = broadcast.channel<string>(2);
    const result = select({ event: rx });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.send('a');
    expect(await stateOf(result)).toEqual({ state: 'fulfilled', value: { key: 'event', value: 'a' } });
    for (const v of ['b', 'c', 'd']) tx.send(v);
    await expect(select({ event: rx })).rejects.toBeInstanceOf(LaggedError);
    expect(await select({ event: rx })).toEqual({ key: 'event', value: 'c' });
  });

  it('wins a watch branch on the next change, with the new value, marking it seen', async () => {
    const [tx, rx] = watch.channel('idle');
    const result = select({ state: rx, nothing: select.default() });
    expect(await result).toEqual({ key: 'nothing', value: undefined });
    const waiting = select({ state: rx });
    tx.send('busy');
    expect(await stateOf(waiting)).toEqual({ state: 'fulfilled', value: { key: 'state', value: 'busy' } });
    expect(rx.hasChanged()).toBe(false);
  });

  it('leaves the losing kinds untouched', async () => {
    const [otx, orx] = oneshot.channel<number>();
    const [btx, brx] = broadcast.channel<number>(4);
    const [wtx, wrx] = watch.channel(0);
    otx.send(1);
    btx.send(2);
    wtx.send(3);
    const r = await select({ o: orx, b: brx, w: wrx });
    if (r.key !== 'o') expect(orx.tryRecv()).toBe(1);
    if (r.key !== 'b') expect(await brx.recv()).toBe(2);
    if (r.key !== 'w') expect(wrx.hasChanged()).toBe(true);
  });
});
