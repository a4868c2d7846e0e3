import { broadcast, LaggedError } from 'rxjs-channel';

describe('broadcast.channel', () => {
  it('returns a connected [Sender, Receiver] pair with one receiver', () => {
    const [tx, rx] = broadcast.channel<string>(4);
    expect(tx.receiverCount).toBe(1);
    expect(tx.send('a')).toBe(1);
    expect(rx.tryRecv()).toBe('a');
    expect(tx.sameChannel(rx)).toBe(true);
    expect(tx.sameChannel(broadcast.channel<string>(4)[1])).toBe(false);
  });

  it('holds exactly `capacity` values before overwriting the oldest', () => {
    const [tx, rx] = broadcast.channel<number>(3);
    expect(tx.maxCapacity).toBe(3);
    expect(rx.maxCapacity).toBe(3);
    for (const n of [1, 2, 3]) tx.send(n);
    expect(tx.length).toBe(3);
    expect(rx.tryRecv()).toBe(1);
    for (const n of [4, 5]) tx.send(n);
    expect(() => rx.tryRecv()).toThrow(LaggedError);
    expect(rx.tryRecv()).toBe(3);
  });

  it('accepts the smallest capacity, 1 (single_capacity_recvs)', () => {
    const [tx, rx] = broadcast.channel<number>(1);
    tx.send(1);
    expect(rx.tryRecv()).toBe(1);
    expect(rx.tryRecv()).toBeUndefined();
  });

  it.each([0, -1, 1.5, NaN, Infinity])('throws RangeError showing the bad capacity %p (zero_capacity)', (capacity) => {
    expect(() => broadcast.channel(capacity)).toThrow(RangeError);
    expect(() => broadcast.channel(capacity)).toThrow(`got \`${String(capacity)}\` (number)`);
  });

  it.each([
    ['a string', '4', '`"4"` (string)'],
    ['undefined', undefined, '`undefined` (undefined)'],
    ['null', null, '`null` (null)'],
  ])('throws TypeError showing the bad capacity when it is %s', (_label, capacity, shown) => {
    expect(() => broadcast.channel(capacity as unknown as number)).toThrow(TypeError);
    expect(() => broadcast.channel(capacity as unknown as number)).toThrow(
      `Expected \`capacity\` to be an integer >= 1, got ${shown}`,
    );
  });

  it('rejects a lag policy it does not know, showing it', () => {
    expect(() => broadcast.channel(4, { lag: 'drop' as never })).toThrow(RangeError);
    expect(() => broadcast.channel(4, { lag: 'drop' as never })).toThrow("one of 'error', 'skip', got `\"drop\"` (string)");
    expect(() => broadcast.channel(4, { lag: 1 as never })).toThrow(TypeError);
  });

  it('rejects options that are not an object', () => {
    expect(() => broadcast.channel(4, 'skip' as never)).toThrow(TypeError);
    expect(() => broadcast.channel(4, 'skip' as never)).toThrow('Expected `options` to be an object, got `"skip"` (string)');
  });
});
