import { RECEIVER, SENDER, isReceiver, receiverKind, senderKind } from '../../lib/internal/brand.js';

// The brands are read off any value a user hands an operator or select. The public handles are
// all class instances with string brands, so the edges of the check (a branded function, a brand
// that is not a string) are pinned here.
describe('receiverKind', () => {
  it('reads the brand of a branded function as well as of an object', () => {
    const fn = Object.assign(() => undefined, { [RECEIVER]: 'mpsc' });
    expect(receiverKind(fn)).toBe('mpsc');
    expect(isReceiver(fn)).toBe(true);
    expect(receiverKind({ [RECEIVER]: 'watch' })).toBe('watch');
  });

  it('ignores a brand that is not a string', () => {
    expect(receiverKind({ [RECEIVER]: 42 })).toBeUndefined();
    expect(isReceiver({ [RECEIVER]: true })).toBe(false);
  });

  it('finds no brand on primitives, null or unbranded values', () => {
    for (const value of [null, undefined, 1, 'mpsc', Symbol('x'), {}, () => undefined]) {
      expect(receiverKind(value)).toBeUndefined();
    }
  });
});

describe('senderKind', () => {
  it('reads the brand of a branded function as well as of an object', () => {
    const fn = Object.assign(() => undefined, { [SENDER]: 'broadcast' });
    expect(senderKind(fn)).toBe('broadcast');
    expect(senderKind({ [SENDER]: 'oneshot' })).toBe('oneshot');
  });

  it('ignores a brand that is not a string', () => {
    expect(senderKind({ [SENDER]: 7 })).toBeUndefined();
  });

  it('finds no brand on primitives, null or unbranded values', () => {
    for (const value of [null, undefined, 1, 'mpsc', {}, () => undefined]) {
      expect(senderKind(value)).toBeUndefined();
    }
  });
});
