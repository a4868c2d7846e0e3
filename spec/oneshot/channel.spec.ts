import { oneshot, RecvError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('oneshot.channel', () => {
  it('returns a connected [Sender, Receiver] pair', async () => {
    const [tx, rx] = oneshot.channel<string>();
    expect(tx.send('hi')).toBe(true);
    await expect(rx).resolves.toBe('hi');
  });

  it('makes independent channels: a value sent on one never reaches another', async () => {
    const [tx1, rx1] = oneshot.channel<number>();
    const [, rx2] = oneshot.channel<number>();
    tx1.send(1);
    expect(await rx1).toBe(1);
    expect(await stateOf(Promise.resolve(rx2.then((v) => v)))).toEqual({ state: 'pending' });
    expect(rx2.tryRecv()).toBeUndefined();
  });

  it('fails the receiver with RecvError when both halves are released without a value', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.drop();
    rx.close();
    await expect(rx).rejects.toBeInstanceOf(RecvError);
  });
});
