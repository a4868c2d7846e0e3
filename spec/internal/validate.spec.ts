import { checkFunction, checkInteger, checkOneOf, checkSignal, show, rejectBadSignal } from '../../lib/internal/validate.js';
import { broadcast, mpmc, mpsc, select, watch } from 'rxjs-channel';

describe('show', () => {
  it.each([
    [0, '`0` (number)'],
    [NaN, '`NaN` (number)'],
    ['4', '`"4"` (string)'],
    [4n, '`4n` (bigint)'],
    [true, '`true` (boolean)'],
    [null, '`null` (null)'],
    [undefined, '`undefined` (undefined)'],
    [Symbol('s'), '`Symbol(s)` (symbol)'],
    [{ a: 1 }, '`{"a":1}` (object)'],
    [[1, 2], '`[1,2]` (object)'],
    [function named() {}, '`[function named]` (function)'],
  ])('renders %p as %s', (value, text) => {
    expect(show(value)).toBe(text);
  });

  it('falls back to the object tag for values JSON cannot render', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(show(circular)).toBe('`[object Object]` (object)');
  });

  it('shortens long renderings to 60 characters', () => {
    const text = show('x'.repeat(200));
    expect(text).toMatch(/^`"x+\.\.\.` \(string\)$/);
    expect(text.length).toBe(60 + '`` (string)'.length);
  });
});

describe('checkInteger', () => {
  it('returns a valid value', () => {
    expect(checkInteger('n', 3, 1)).toBe(3);
    expect(checkInteger('n', 0, 0)).toBe(0);
    expect(checkInteger('n', Infinity, 0, true)).toBe(Infinity);
  });

  it('throws TypeError naming the argument and showing a non-number', () => {
    expect(() => checkInteger('capacity', '1', 1)).toThrow(new TypeError('Expected `capacity` to be an integer >= 1, got `"1"` (string)'));
  });

  it.each([0, -1, 2.5, NaN, Infinity])('throws RangeError showing %p', (value) => {
    expect(() => checkInteger('capacity', value, 1)).toThrow(
      new RangeError(`Expected \`capacity\` to be an integer >= 1, got \`${String(value)}\` (number)`),
    );
  });

  it('mentions Infinity when it is allowed', () => {
    expect(() => checkInteger('max', -1, 0, true)).toThrow(new RangeError('Expected `max` to be an integer >= 0 or Infinity, got `-1` (number)'));
  });
});

describe('checkOneOf', () => {
  const allowed = ['a', 'b'] as const;
  it('returns an allowed value', () => {
    expect(checkOneOf('mode', 'b', allowed)).toBe('b');
  });
  it('throws RangeError for an unknown string and TypeError for a non-string, listing the choices', () => {
    expect(() => checkOneOf('mode', 'c', allowed)).toThrow(new RangeError("Expected `mode` to be one of 'a', 'b', got `\"c\"` (string)"));
    expect(() => checkOneOf('mode', 1, allowed)).toThrow(new TypeError("Expected `mode` to be one of 'a', 'b', got `1` (number)"));
  });
});

describe('checkSignal', () => {
  it('accepts undefined and an AbortSignal', () => {
    const { signal } = new AbortController();
    expect(checkSignal(undefined)).toBeUndefined();
    expect(checkSignal(signal)).toBe(signal);
  });
  it('throws TypeError showing anything else', () => {
    expect(() => checkSignal({ aborted: false })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `{"aborted":false}` (object)'));
    expect(() => checkSignal(null)).toThrow(TypeError);
  });
});

describe('checkFunction', () => {
  it('accepts undefined and functions, throws TypeError showing anything else', () => {
    expect(() => checkFunction('onDrop', undefined)).not.toThrow();
    expect(() => checkFunction('onDrop', () => {})).not.toThrow();
    expect(() => checkFunction('onDrop', 'f')).toThrow(new TypeError('Expected `onDrop` to be a function, got `"f"` (string)'));
  });
});

describe('rejectBadSignal', () => {
  it('returns null for no options, no signal, or a real AbortSignal', () => {
    expect(rejectBadSignal(undefined)).toBeNull();
    expect(rejectBadSignal({})).toBeNull();
    expect(rejectBadSignal({ signal: new AbortController().signal })).toBeNull();
  });

  it('returns a promise rejected with TypeError showing the bad signal', async () => {
    const rejected = rejectBadSignal({ signal: 7 as unknown as AbortSignal });
    await expect(rejected).rejects.toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `7` (number)'));
  });
});

describe('seams: an already-aborted signal on every promise-returning method rejects, never throws', () => {
  const reason = new Error('aborted before the call');
  const signal = (): AbortSignal => AbortSignal.abort(reason);

  /** Calls `fn`, failing on a synchronous throw, and returns the promise's settled state. */
  const settle = async (fn: () => Promise<unknown>): Promise<{ state: string; reason?: unknown }> => {
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = fn())).not.toThrow();
    expect(promise).toBeInstanceOf(Promise);
    return promise!.then(
      () => ({ state: 'fulfilled' }),
      (error: unknown) => ({ state: 'rejected', reason: error }),
    );
  };

  const methods: [string, () => Promise<unknown>][] = [
    ['mpsc Sender.send (room free)', () => mpsc.channel<number>(1)[0].send(1, { signal: signal() })],
    [
      'mpsc Sender.send (full)',
      () => {
        const [tx] = mpsc.channel<number>(1);
        tx.trySend(0);
        return tx.send(1, { signal: signal() });
      },
    ],
    ['mpsc Sender.reserve', () => mpsc.channel<number>(1)[0].reserve({ signal: signal() })],
    [
      'mpsc Receiver.recv (value buffered)',
      () => {
        const [tx, rx] = mpsc.channel<number>(1);
        tx.trySend(0);
        return rx.recv({ signal: signal() });
      },
    ],
    ['mpsc Receiver.recvMany', () => mpsc.channel<number>(1)[1].recvMany(2, { signal: signal() })],
    ['mpmc Sender.send', () => mpmc.channel<number>(1)[0].send(1, { signal: signal() })],
    ['mpmc Sender.reserve', () => mpmc.channel<number>(1)[0].reserve({ signal: signal() })],
    [
      'mpmc Receiver.recv (value buffered)',
      () => {
        const [tx, rx] = mpmc.channel<number>(1);
        tx.trySend(0);
        return rx.recv({ signal: signal() });
      },
    ],
    ['mpmc Receiver.recvMany', () => mpmc.channel<number>(1)[1].recvMany(2, { signal: signal() })],
    [
      'broadcast Receiver.recv (value waiting)',
      () => {
        const [tx, rx] = broadcast.channel<number>(2);
        tx.send(0);
        return rx.recv({ signal: signal() });
      },
    ],
    ['broadcast Receiver.recvMany', () => broadcast.channel<number>(2)[1].recvMany(2, { signal: signal() })],
    [
      'watch Receiver.changed (version unseen)',
      () => {
        const [tx, rx] = watch.channel(0);
        tx.send(1);
        return rx.changed({ signal: signal() });
      },
    ],
    [
      'select (a branch ready)',
      () => {
        const [tx, rx] = mpsc.channel<number>(1);
        tx.trySend(0);
        return select({ rx }, { signal: signal() });
      },
    ],
  ];

  it.each(methods)('%s rejects with the signal’s reason', async (_label, fn) => {
    expect(await settle(fn)).toEqual({ state: 'rejected', reason });
  });

  const alsoWrong: [string, () => Promise<unknown>][] = [
    [
      'a dropped mpsc sender',
      () => {
        const [tx] = mpsc.channel<number>(1);
        tx.drop();
        return tx.send(1, { signal: signal() });
      },
    ],
    [
      'a held mpsc receiver',
      () => {
        const [, rx] = mpsc.channel<number>(1);
        rx.subscribe();
        return rx.recv({ signal: signal() });
      },
    ],
    [
      'a held broadcast receiver',
      () => {
        const [, rx] = broadcast.channel<number>(1);
        rx.subscribe();
        return rx.recvMany(1, { signal: signal() });
      },
    ],
    ['a bad recvMany limit', () => mpsc.channel<number>(1)[1].recvMany(0, { signal: signal() })],
    [
      'a closed mpsc channel',
      () => {
        const [tx, rx] = mpsc.channel<number>(1);
        rx.close();
        return tx.reserve({ signal: signal() });
      },
    ],
  ];

  it.each(alsoWrong)('with %s as well, it still rejects and never throws', async (_label, fn) => {
    expect((await settle(fn)).state).toBe('rejected');
  });
});

describe('show: edge renderings', () => {
  it('names a function without a name "anonymous"', () => {
    const anonymous = [() => {}][0]!;
    expect(anonymous.name).toBe('');
    expect(show(anonymous)).toBe('`[function anonymous]` (function)');
  });

  it('keeps a rendering of exactly 60 characters whole and shortens one of 61', () => {
    const sixty = 'x'.repeat(58); // rendered with its quotes: 60 characters
    expect(show(sixty)).toBe(`\`"${sixty}"\` (string)`);
    expect(show(`${sixty}x`)).toBe(`\`"${'x'.repeat(56)}...\` (string)`);
  });
});

describe('checkInteger with Infinity allowed', () => {
  it.each([2.5, NaN, -Infinity])('still throws RangeError showing the non-integer %p', (value) => {
    expect(() => checkInteger('max', value, 0, true)).toThrow(
      new RangeError(`Expected \`max\` to be an integer >= 0 or Infinity, got \`${String(value)}\` (number)`),
    );
  });
});
