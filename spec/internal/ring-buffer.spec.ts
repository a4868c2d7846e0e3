import fc from 'fast-check';
import { RingBuffer } from '../../lib/internal/ring-buffer.js';

describe('RingBuffer', () => {
  it('returns values in FIFO order across wrap-around and growth', () => {
    const ring = new RingBuffer<number>(Infinity);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < round % 7; i++) ring.push(next++);
      for (let i = 0; i < 3 && ring.length > 0; i++) out.push(ring.shift());
    }
    while (ring.length > 0) out.push(ring.shift());
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('holds up to its bound when the bound is not a power of two', () => {
    const ring = new RingBuffer<number>(5);
    for (let i = 0; i < 5; i++) ring.push(i);
    expect(ring.length).toBe(5);
    expect([ring.shift(), ring.shift(), ring.shift(), ring.shift(), ring.shift()]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('RingBuffer.unshift', () => {
  it('puts a value before the oldest one, across wrap-around and growth (against an array model)', () => {
    const op = fc.oneof(fc.constant('shift' as const), fc.constant('push' as const), fc.constant('unshift' as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const ring = new RingBuffer<number>(Infinity);
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if (o === 'push') {
            ring.push(next);
            model.push(next++);
          } else if (o === 'unshift') {
            ring.unshift(next);
            model.unshift(next++);
          } else if (model.length !== 0) {
            expect(ring.shift()).toBe(model.shift());
          }
          expect(ring.length).toBe(model.length);
        }
        const rest: number[] = [];
        while (ring.length > 0) rest.push(ring.shift());
        expect(rest).toEqual(model);
      }),
    );
  });

  it('fills a buffer to its bound from the front', () => {
    const ring = new RingBuffer<number>(3);
    ring.unshift(3);
    ring.unshift(2);
    ring.unshift(1);
    expect([ring.length, ring.shift(), ring.shift(), ring.shift()]).toEqual([3, 1, 2, 3]);
  });
});

describe('mutants: RingBuffer growth', () => {
  it('keeps FIFO order while growing several times past its first storage, from a wrapped head', () => {
    const ring = new RingBuffer<number>(Infinity);
    for (let i = 0; i < 10; i++) ring.push(i);
    const out = [ring.shift(), ring.shift(), ring.shift(), ring.shift(), ring.shift()];
    for (let i = 10; i < 110; i++) ring.push(i);
    expect(ring.length).toBe(105);
    while (ring.length > 0) out.push(ring.shift());
    expect(out).toEqual(Array.from({ length: 110 }, (_, i) => i));
  });

  it('grows up to a bound that is larger than its first storage and not a power of two', () => {
    const ring = new RingBuffer<number>(40);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 40; i++) ring.push(round * 100 + i);
      expect(ring.length).toBe(40);
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push(ring.shift());
      expect(out).toEqual(Array.from({ length: 40 }, (_, i) => round * 100 + i));
    }
  });
});

describe('RingBuffer.unshift growth', () => {
  it('takes many values at the front of an unbounded buffer, growing only when full', () => {
    const ring = new RingBuffer<number>(Infinity);
    for (let i = 63; i >= 0; i--) ring.unshift(i);
    expect(ring.length).toBe(64);
    const out: number[] = [];
    while (ring.length > 0) out.push(ring.shift());
    expect(out).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });
});
