import { broadcast, select, LaggedError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('broadcast.Receiver in select', () => {
  it('wins with the next value once one is sent', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const [, idle] = broadcast.channel<number>(4);
    const result = select({ rx, idle });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.send(5);
    expect(await result).toEqual({ key: 'rx', value: 5 });
  });

  it('consumes exactly one value per win; a losing receiver keeps its position', async () => {
    const [tx, a] = broadcast.channel<number>(4);
    const b = tx.subscribe();
    tx.send(1);
    tx.send(2);
    const first = await select({ a });
    expect(first).toEqual({ key: 'a', value: 1 });
    expect(a.tryRecv()).toBe(2);
    expect([b.tryRecv(), b.tryRecv()]).toEqual([1, 2]);
  });

  it('a branch that loses consumes nothing, whichever wins', async () => {
    for (let i = 0; i < 20; i++) {
      const [txA, a] = broadcast.channel<string>(4);
      const [txB, b] = broadcast.channel<string>(4);
      const result = select({ a, b });
      txA.send('a');
      txB.send('b');
      const winner = await result;
      expect(winner.value).toBe(winner.key);
      const loser = winner.key === 'a' ? b : a;
      expect(loser.tryRecv()).toBe(winner.key === 'a' ? 'b' : 'a');
    }
  });

  it('wins with undefined at the end', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    const result = select({ rx });
    tx.drop();
    expect(await result).toEqual({ key: 'rx', value: undefined });
  });

  it('fails the select with LaggedError, then the receiver continues from the oldest value held', async () => {
    const [tx, rx] = broadcast.channel<number>(1);
    tx.send(1);
    tx.send(2);
    const error = await select({ rx }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaggedError);
    expect((error as LaggedError).skipped).toBe(1);
    expect(await select({ rx })).toEqual({ key: 'rx', value: 2 });
  });
});
