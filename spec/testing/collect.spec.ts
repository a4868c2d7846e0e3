import { broadcast, mpsc } from 'rxjs-channel';
import { collect, CollectTimeoutError, flush } from 'rxjs-channel/testing';

describe('collect', () => {
  it('resolves with every value once the last sender is dropped', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const producing = (async () => {
      for (const n of [1, 2, 3]) await tx.send(n);
      tx.drop();
    })();
    await expect(collect(rx)).resolves.toEqual([1, 2, 3]);
    await producing;
  });

  it('fails fast with what was received and how many senders still hold the channel', async () => {
    const [tx, rx] = mpsc.channel<string>(4);
    const forgotten = tx.clone();
    await tx.send('a');
    await tx.send('b');
    tx.drop();
    const error = (await collect(rx, { timeout: 5 }).catch((e: unknown) => e)) as CollectTimeoutError<string>;
    expect(error).toBeInstanceOf(CollectTimeoutError);
    expect(error.name).toBe('CollectTimeoutError');
    expect(error.values).toEqual(['a', 'b']);
    expect(error.snapshot).toMatchObject({ senders: 1, buffered: 0 });
    expect(error.message).toBe(
      'collect: the channel did not end within 5 ms: received 2 values (`"a"` (string), `"b"` (string)); ' +
        '1 sender still holds the channel (mpsc receiver: buffered 0, pendingSends 0, waitingReceives 1, permits 0, senders 1, closed false)',
    );
    // It let go of the receiver and consumed nothing more.
    await forgotten.send('c');
    forgotten.drop();
    await expect(rx.recv()).resolves.toBe('c');
  });

  it('times out on the real clock under jest fake timers', async () => {
    jest.useFakeTimers();
    try {
      const [tx, rx] = mpsc.channel<number>(1);
      await expect(collect(rx, { timeout: 1 })).rejects.toThrow(/did not end within 1 ms: received 0 values; 1 sender still holds/);
      tx.drop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects with the channel\'s error after draining', async () => {
    const [tx, rx] = mpsc.channel<number>(2);
    tx.trySend(1);
    tx.error(new Error('boom'));
    await expect(collect(rx)).rejects.toThrow('boom');
  });

  it('reads other kinds: a broadcast receiver', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    tx.send(1);
    tx.send(2);
    tx.drop();
    await expect(collect(rx)).resolves.toEqual([1, 2]);
  });

  it('waits for ever with timeout Infinity', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const all = collect(rx, { timeout: Infinity });
    await flush();
    tx.drop();
    await expect(all).resolves.toEqual([]);
  });

  it.each([
    [-1, RangeError],
    [Number.NaN, RangeError],
    ['10', TypeError],
  ])('rejects a bad timeout %p with %p showing it', async (timeout, Err) => {
    const [, rx] = mpsc.channel<number>(1);
    await expect(collect(rx, { timeout: timeout as number })).rejects.toThrow(Err);
    await expect(collect(rx, { timeout: timeout as number })).rejects.toThrow(/Expected `timeout` to be a number >= 0, got `/);
  });
});
