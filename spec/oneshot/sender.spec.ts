import { oneshot, RecvError, SenderDroppedError } from 'rxjs-channel';
import { stateOf } from '../helpers.js';

// Ported from tokio/tests/sync_oneshot.rs (behaviours, adapted to this API).
describe('oneshot.Sender', () => {
  it('send wakes a pending receiver with the value (send_recv)', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const received = Promise.resolve(rx);
    expect(await stateOf(received)).toEqual({ state: 'pending' });
    expect(tx.send(1)).toBe(true);
    expect(await stateOf(received)).toEqual({ state: 'fulfilled', value: 1 });
  });

  it('a value sent before anyone awaits is kept for the receiver (async_send_recv)', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(1);
    expect(await rx).toBe(1);
  });

  it('dropping the sender without sending fails the pending receiver with RecvError (close_tx)', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const received = Promise.resolve(rx);
    expect(await stateOf(received)).toEqual({ state: 'pending' });
    tx.drop();
    const state = await stateOf(received);
    expect(state.state).toBe('rejected');
    expect((state as { reason: unknown }).reason).toBeInstanceOf(RecvError);
    expect((state as { reason: RecvError }).reason.message).toMatch(/dropped without sending/);
  });

  it('send returns false once the receiver is closed (close_rx)', () => {
    const [tx, rx] = oneshot.channel<number>();
    rx.close();
    expect(tx.send(1)).toBe(false);
  });

  it('closed() waits for the receiver to close, then resolves (close_rx)', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const closed = tx.closed();
    expect(await stateOf(closed)).toEqual({ state: 'pending' });
    expect(tx.isClosed).toBe(false);
    rx.close();
    expect(tx.isClosed).toBe(true);
    expect(await stateOf(closed)).toEqual({ state: 'fulfilled', value: undefined });
    expect(tx.send(1)).toBe(false);
  });

  it('closed() resolves at once when the receiver is already closed', async () => {
    const [tx, rx] = oneshot.channel<number>();
    rx[Symbol.dispose]();
    expect(await stateOf(tx.closed())).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('every pending closed() call resolves when the receiver closes (sender_changes_task)', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const first = tx.closed();
    const second = tx.closed();
    rx.close();
    expect(await stateOf(first)).toEqual({ state: 'fulfilled', value: undefined });
    expect(await stateOf(second)).toEqual({ state: 'fulfilled', value: undefined });
  });

  it('a second send throws SenderDroppedError and the first value stands', async () => {
    const [tx, rx] = oneshot.channel<string>();
    expect(tx.send('first')).toBe(true);
    expect(() => tx.send('second')).toThrow(SenderDroppedError);
    expect(await rx).toBe('first');
    expect(tx.isDropped).toBe(true);
  });

  it('a send after a refused send also throws: the first call spent the handle', () => {
    const [tx, rx] = oneshot.channel<number>();
    rx.close();
    expect(tx.send(1)).toBe(false);
    expect(() => tx.send(2)).toThrow(SenderDroppedError);
  });

  it('send after drop throws SenderDroppedError', () => {
    const [tx] = oneshot.channel<number>();
    tx.drop();
    expect(() => tx.send(1)).toThrow(SenderDroppedError);
  });

  it('drop after send changes nothing: the value stays receivable', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(5);
    tx.drop();
    tx.drop();
    expect(await rx).toBe(5);
  });

  it('is Disposable: leaving a `using` scope without sending fails the receiver', async () => {
    const [tx, rx] = oneshot.channel<number>();
    {
      using _held = tx;
    }
    await expect(rx).rejects.toBeInstanceOf(RecvError);
  });

  it('is Disposable: leaving a `using` scope after sending keeps the value', async () => {
    const [tx, rx] = oneshot.channel<number>();
    {
      using held = tx;
      held.send(3);
    }
    expect(await rx).toBe(3);
  });

  it('sends undefined and null as values', async () => {
    const [tx, rx] = oneshot.channel<undefined | null>();
    tx.send(null);
    expect(await rx).toBeNull();
    const [tx2, rx2] = oneshot.channel<undefined>();
    tx2.send(undefined);
    expect(rx2.isClosed).toBe(true);
    await expect(rx2).resolves.toBeUndefined();
  });
});
