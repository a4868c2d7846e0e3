import { oneshot, select, RecvError } from 'rxjs-channel';
import { expectTypeOf } from 'expect-type';
import { stateOf } from '../helpers.js';

describe('oneshot.Receiver in select', () => {
  it('wins with the value once it is sent, and infers its type', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const [, other] = oneshot.channel<string>();
    const result = select({ reply: rx, other });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.send(7);
    const settled = await result;
    expect(settled).toEqual({ key: 'reply', value: 7 });
    if (settled.key === 'reply') expectTypeOf(settled.value).toEqualTypeOf<number>();
  });

  it('wins at once when the value was already sent', async () => {
    const [tx, rx] = oneshot.channel<string>();
    tx.send('ready');
    expect(await select({ rx })).toEqual({ key: 'rx', value: 'ready' });
  });

  it('fails the select with RecvError when the sender is dropped', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const result = select({ rx });
    tx.drop();
    await expect(result).rejects.toBeInstanceOf(RecvError);
  });

  it('a branch that loses keeps its value for a later await, whichever wins', async () => {
    for (let i = 0; i < 20; i++) {
      const [txA, a] = oneshot.channel<string>();
      const [txB, b] = oneshot.channel<string>();
      const result = select({ a, b });
      txA.send('a');
      txB.send('b');
      const winner = await result;
      expect(winner.value).toBe(winner.key);
      expect(await (winner.key === 'a' ? b : a)).toBe(winner.key === 'a' ? 'b' : 'a');
    }
  });
});
