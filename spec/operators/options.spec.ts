/**
 * What the operators that take a source (`toChannel`, `backpressure`) check before reading it:
 * their options, and what kind of source they were given (lib/operators/connect.ts).
 */
import { lastValueFrom, Observable, observable, of, toArray } from 'rxjs';
import { backpressure, ChannelOverflowError, mpsc, toChannel } from 'rxjs-channel';

/** The error `body` throws, to assert its class and its whole message. */
function thrownBy(body: () => unknown): Error {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected it to throw');
}

/** The key by which a `backpressure` stage is recognised (registered, shared by both builds). */
const BACKPRESSURED = Symbol.for('rxjs-channel.backpressured');

describe('source operator options', () => {
  it.each([
    ['a number', 5, '`5` (number)'],
    ['a string', 'dropOldest', '`"dropOldest"` (string)'],
    ['null', null, '`null` (null)'],
  ])('rejects options that are %s with a TypeError naming the value', (_, options, shown) => {
    for (const call of [() => toChannel(of(1), 2, options as never), () => backpressure(2, options as never)]) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(`Expected \`options\` to be an object, got ${shown}`);
    }
  });

  it('rejects an unknown overflow policy with a RangeError listing the policies and naming the value', () => {
    for (const call of [() => toChannel(of(1), 2, { overflow: 'dropAll' as never }), () => backpressure(2, { overflow: 'dropAll' as never })]) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe("Expected `overflow` to be one of 'wait', 'error', 'dropOldest', 'dropNewest', got `\"dropAll\"` (string)");
    }
    const error = thrownBy(() => toChannel(of(1), 2, { overflow: 3 as never }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Expected `overflow` to be one of 'wait', 'error', 'dropOldest', 'dropNewest', got `3` (number)");
  });

  it('rejects an onDrop that is not a function with a TypeError naming the value', () => {
    for (const call of [() => toChannel(of(1), 2, { onDrop: 'log' as never }), () => backpressure(2, { onDrop: 'log' as never })]) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('Expected `onDrop` to be a function, got `"log"` (string)');
    }
  });

  it("rejects 'wait' for an Observable source with a RangeError that names the value and says why", () => {
    for (const call of [() => toChannel(of(1), 2, { overflow: 'wait' }), () => backpressure<number>(2, { overflow: 'wait' })(of(1))]) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(
        "Expected `overflow` to be 'error', 'dropOldest' or 'dropNewest' for an Observable source, got `\"wait\"` (string): " +
          'an Observable pushes its values and cannot be made to wait; pass a pull source (an AsyncIterable, a Receiver) to wait',
      );
    }
  });
});

describe('telling push sources from pull sources', () => {
  it.each([
    ['null', null, '`null` (null)'],
    ['undefined', undefined, '`undefined` (undefined)'],
    ['a number', 5, '`5` (number)'],
    ['a boolean', true, '`true` (boolean)'],
    ['a plain object', { a: 1 }, '`{"a":1}` (object)'],
  ])('rejects a source that is %s with a TypeError naming the operator and the value', (_, source, shown) => {
    for (const [caller, call] of [
      ['toChannel', () => toChannel(source as never, 2)],
      ['backpressure', () => backpressure(2)(source as never)],
    ] as const) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(
        `Expected the source of \`${caller}\` to be an Observable, Promise, AsyncIterable, iterable, array or ReadableStream, got ${shown}`,
      );
    }
  });

  it('reads a function that is an interop observable (it has the observable symbol) as a push source', async () => {
    const interop = Object.assign(() => undefined, { [observable]: () => of(1, 2, 3) });
    const rx = toChannel(interop as unknown as Observable<number>, 2);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    // A push source defaults to 'error': the value that did not fit ends the stream.
    await expect(rx.recv()).rejects.toEqual(new ChannelOverflowError(3, 'a value from the source did not fit in the channel'));
    const stage = backpressure(4)(interop as unknown as Observable<number>);
    expect(await lastValueFrom(stage.pipe(toArray()))).toEqual([1, 2, 3]);
  });

  it.each([
    ['null', null],
    ['0', 0],
    ['a string', 'push'],
  ])('does not take an Observable whose backpressure key holds %s for a backpressure stage', async (_, key) => {
    const source = Object.assign(of(1, 2), { [BACKPRESSURED]: key });
    expect(await lastValueFrom(toChannel(source, 4).pipe(toArray()))).toEqual([1, 2]);
    expect(await lastValueFrom(backpressure(4)(source).pipe(toArray()))).toEqual([1, 2]);
    // Read as an Observable, so 'wait' is refused for it.
    expect(thrownBy(() => toChannel(source, 4, { overflow: 'wait' }))).toBeInstanceOf(RangeError);
  });

  it('does not take a receiver of this library, or a stage over one, for a push source', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    [1, 2].forEach((n) => tx.trySend(n));
    tx.drop();
    const stage = backpressure<number>(4)(rx);
    // 'wait' is allowed only for a pull source.
    const out = toChannel(stage, 1, { overflow: 'wait' });
    expect(await lastValueFrom(out.pipe(toArray()))).toEqual([1, 2]);
  });
});
