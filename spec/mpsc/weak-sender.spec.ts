import { mpsc, SenderDroppedError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

describe('WeakSender', () => {
  it('upgrade returns a working strong Sender while a strong sender lives', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const weak = tx.downgrade();
    const strong = weak.upgrade();
    expect(strong).toBeDefined();
    expect(rx.senderCount).toBe(2);
    await strong!.send(1);
    expect(rx.tryRecv()).toBe(1);
    expect(strong!.sameChannel(tx)).toBe(true);
  });

  it('an upgraded sender keeps the channel open until it is dropped', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const up = tx.downgrade().upgrade()!;
    tx.drop();
    const end = rx.recv();
    expect(await stateOf(end)).toEqual({ state: 'pending' });
    up.drop();
    expect(await stateOf(end)).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('upgrade returns undefined once every strong sender is dropped', () => {
    const [tx] = mpsc.channel<number>(2);
    const weak = tx.downgrade();
    tx.drop();
    expect(weak.upgrade()).toBeUndefined();
    expect(weak.strongCount).toBe(0);
  });

  it('never keeps the channel open: the receiver ends with weak handles alive', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    const weak = tx.downgrade();
    tx.trySend(1);
    tx.drop();
    expect(weak.weakCount).toBe(1);
    expect(rx.isClosed).toBe(true);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBeUndefined();
  });

  it('drop and [Symbol.dispose] are idempotent and decrement weakCount once', () => {
    const [tx] = mpsc.channel<number>(2);
    const a = tx.downgrade();
    const b = tx.downgrade();
    expect(tx.weakCount).toBe(2);
    a.drop();
    a.drop();
    a[Symbol.dispose]();
    expect(tx.weakCount).toBe(1);
    {
      using _scoped = b;
    }
    expect(tx.weakCount).toBe(0);
  });

  it('upgrade on a dropped weak handle throws SenderDroppedError', () => {
    const [tx] = mpsc.channel<number>(2);
    const weak = tx.downgrade();
    weak.drop();
    expect(() => weak.upgrade()).toThrow(SenderDroppedError);
    expect(() => weak.upgrade()).toThrow(new SenderDroppedError('this weak sender handle was dropped'));
    expect(tx.strongCount).toBe(1);
  });

  it('reports strongCount, weakCount and sameChannel', () => {
    const [tx] = mpsc.channel<number>(2);
    const [other] = mpsc.channel<number>(2);
    const weak = tx.downgrade();
    tx.clone();
    expect(weak.strongCount).toBe(2);
    expect(weak.weakCount).toBe(1);
    expect(weak.sameChannel(tx)).toBe(true);
    expect(weak.sameChannel(tx.downgrade())).toBe(true);
    expect(weak.sameChannel(other)).toBe(false);
  });
});
