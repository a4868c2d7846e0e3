import { watch, select, RecvError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('watch.Receiver in select', () => {
  it('means "changed": waits for a version not yet seen, yields the value and marks it seen', async () => {
    const [tx, rx] = watch.channel('a');
    const result = select({ config: rx });
    expect(await stateOf(result)).toEqual({ state: 'pending' });
    tx.send('b');
    tx.send('c');
    expect(await result).toEqual({ key: 'config', value: 'c' });
    expect(rx.hasChanged()).toBe(false);
  });

  it('wins at once when an unseen version already exists', async () => {
    const [tx, rx] = watch.channel(0);
    tx.send(1);
    expect(await select({ rx })).toEqual({ key: 'rx', value: 1 });
  });

  it('a branch that loses keeps its unseen version, whichever wins', async () => {
    for (let i = 0; i < 20; i++) {
      const [txA, a] = watch.channel(0);
      const [txB, b] = watch.channel(0);
      const result = select({ a, b });
      txA.send(1);
      txB.send(2);
      const winner = await result;
      const loser = winner.key === 'a' ? b : a;
      expect(winner.value).toBe(winner.key === 'a' ? 1 : 2);
      expect(loser.hasChanged()).toBe(true);
      expect((winner.key === 'a' ? a : b).hasChanged()).toBe(false);
    }
  });

  it('fails the select with RecvError once every sender is dropped', async () => {
    const [tx, rx] = watch.channel(0);
    const result = select({ rx });
    tx.drop();
    await expect(result).rejects.toBeInstanceOf(RecvError);
  });
});
