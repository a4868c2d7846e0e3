import { mpsc } from 'rxjs-channel';

describe('mpsc.channel', () => {
  it('returns a connected [Sender, Receiver] pair', async () => {
    const [tx, rx] = mpsc.channel<string>(3);
    await tx.send('a');
    expect(await rx.recv()).toBe('a');
  });

  it('creates a channel holding exactly `capacity` values', () => {
    const [tx, rx] = mpsc.channel<number>(3);
    expect(tx.maxCapacity).toBe(3);
    expect(rx.maxCapacity).toBe(3);
    expect(tx.capacity).toBe(3);
    expect([tx.trySend(1), tx.trySend(2), tx.trySend(3), tx.trySend(4)]).toEqual([true, true, true, false]);
    expect(rx.length).toBe(3);
  });

  it.each([0, -1, 1.5, NaN, Infinity, -Infinity])('throws RangeError showing the bad capacity %p', (capacity) => {
    expect(() => mpsc.channel(capacity)).toThrow(RangeError);
    expect(() => mpsc.channel(capacity)).toThrow(`got \`${String(capacity)}\` (number)`);
  });

  it.each([
    ['a string', '4', '`"4"` (string)'],
    ['undefined', undefined, '`undefined` (undefined)'],
    ['null', null, '`null` (null)'],
    ['a bigint', 4n, '`4n` (bigint)'],
  ])('throws TypeError showing the bad capacity when it is %s', (_label, capacity, shown) => {
    expect(() => mpsc.channel(capacity as unknown as number)).toThrow(TypeError);
    expect(() => mpsc.channel(capacity as unknown as number)).toThrow(`Expected \`capacity\` to be an integer >= 1, got ${shown}`);
  });

  it('accepts the smallest capacity, 1', () => {
    const [tx] = mpsc.channel<number>(1);
    expect(tx.trySend(1)).toBe(true);
    expect(tx.trySend(2)).toBe(false);
  });
});

describe('mpsc.unboundedChannel', () => {
  it('never reports full and reports Infinity as capacity and maxCapacity', () => {
    const [tx, rx] = mpsc.unboundedChannel<number>();
    for (let i = 0; i < 10_000; i++) expect(tx.trySend(i)).toBe(true);
    expect(tx.capacity).toBe(Infinity);
    expect(tx.maxCapacity).toBe(Infinity);
    expect(rx.maxCapacity).toBe(Infinity);
    expect(rx.length).toBe(10_000);
  });

  it('resolves send at once and keeps FIFO order across buffer growth', async () => {
    const [tx, rx] = mpsc.unboundedChannel<number>();
    const n = 1000;
    for (let i = 0; i < n; i++) await tx.send(i);
    tx.drop();
    const got: number[] = [];
    for await (const v of rx) got.push(v);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('ends like a bounded channel once the last sender drops', async () => {
    const [tx, rx] = mpsc.unboundedChannel<string>();
    tx.trySend('x');
    tx.drop();
    expect(rx.isClosed).toBe(true);
    expect(await rx.recv()).toBe('x');
    expect(await rx.recv()).toBeUndefined();
  });
});
