/**
 * The ring's placeholders for values it never got (`skip`, what a receiving thread's ring
 * records when the owning thread's ring overwrote values before they could be sent): a
 * model-based property against a plain log, with several receivers joining and leaving.
 */
import fc from 'fast-check';
import { LaggedError } from '../../lib/errors.js';
import { Cursor, END, Shared } from '../../lib/broadcast/shared.js';
import { NOT_READY } from '../../lib/internal/selectable.js';
import { propertyRuns } from '../helpers.js';

type Op =
  | { kind: 'send'; value: number }
  | { kind: 'skip'; count: number }
  | { kind: 'read'; rx: number }
  | { kind: 'batch'; rx: number }
  | { kind: 'subscribe' }
  | { kind: 'drop'; rx: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.integer().map((value) => ({ kind: 'send' as const, value })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }).map((count) => ({ kind: 'skip' as const, count })) },
  { weight: 5, arbitrary: fc.nat(3).map((rx) => ({ kind: 'read' as const, rx })) },
  { weight: 1, arbitrary: fc.nat(3).map((rx) => ({ kind: 'batch' as const, rx })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'subscribe' as const }) },
  { weight: 1, arbitrary: fc.nat(3).map((rx) => ({ kind: 'drop' as const, rx })) },
);

const GAP = Symbol('gap');

/** The whole stream as a log; the ring is its last `capacity` positions. */
class Model {
  readonly log: (number | typeof GAP)[] = [];
  constructor(readonly capacity: number) {}

  get head(): number {
    return Math.max(0, this.log.length - this.capacity);
  }

  read(cursor: { next: number }): { lagged: number } | { value: number } | null {
    const start = cursor.next;
    let next = Math.max(start, this.head);
    while (next < this.log.length && this.log[next] === GAP) next++;
    if (next !== start) {
      cursor.next = next;
      return { lagged: next - start };
    }
    if (next === this.log.length) return null;
    cursor.next = next + 1;
    return { value: this.log[next] as number };
  }
}

function outcome(shared: Shared<number>, cursor: Cursor): { lagged: number } | { value: number } | null {
  try {
    const value = shared.read(cursor);
    if (value === NOT_READY || value === END) return null;
    return { value };
  } catch (error) {
    if (!(error instanceof LaggedError)) throw error;
    return { lagged: error.skipped };
  }
}

describe('broadcast ring placeholders (skip)', () => {
  it('every receiver reads the values and lags of the model log, in order; held values are released', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 80 }), (capacity, ops) => {
        const shared = new Shared<number>(capacity, 'error');
        const model = new Model(capacity);
        const live: { cursor: Cursor; at: { next: number } }[] = [{ cursor: new Cursor(shared, 0), at: { next: 0 } }];
        for (const o of ops) {
          if (o.kind === 'send') {
            if (live.length === 0) continue;
            shared.send(o.value);
            model.log.push(o.value);
          } else if (o.kind === 'skip') {
            if (live.length === 0) continue;
            shared.skip(o.count);
            for (let i = 0; i < o.count; i++) model.log.push(GAP);
          } else if (o.kind === 'subscribe') {
            live.push({ cursor: shared.subscribe(), at: { next: model.log.length } });
          } else if (live.length !== 0) {
            const rx = live[o.rx % live.length]!;
            if (o.kind === 'drop') {
              shared.unsubscribe(rx.cursor);
              live.splice(live.indexOf(rx), 1);
            } else if (o.kind === 'read') {
              expect(outcome(shared, rx.cursor)).toEqual(model.read(rx.at));
            } else {
              // What recvMany takes after its first value: only values held, never a lag.
              const taken: number[] = [];
              while (shared.holds(rx.cursor)) taken.push(shared.read(rx.cursor) as number);
              const expected: number[] = [];
              for (;;) {
                const before = rx.at.next;
                const next = model.read(rx.at);
                if (next === null || 'lagged' in next) {
                  rx.at.next = before;
                  break;
                }
                expected.push(next.value);
              }
              expect(taken).toEqual(expected);
            }
          }
          expect(shared.tail).toBe(model.log.length);
          expect(shared.head).toBe(model.head);
          expect(shared.receivers).toBe(live.length);
        }
        // Every receiver drains to the model's end; then nothing is held for anyone.
        for (const rx of live) {
          for (;;) {
            const got = outcome(shared, rx.cursor);
            expect(got).toEqual(model.read(rx.at));
            if (got === null) break;
          }
        }
        expect(shared.length).toBe(0);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
