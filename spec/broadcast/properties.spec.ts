import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { broadcast, LaggedError, SendError } from 'rxjs-channel';
import { propertyRuns } from '../helpers.js';

type Op =
  | { kind: 'send'; value: number }
  | { kind: 'recv'; rx: number }
  | { kind: 'subscribe' }
  | { kind: 'drop'; rx: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer().map((value) => ({ kind: 'send' as const, value })) },
  { weight: 4, arbitrary: fc.nat(5).map((rx) => ({ kind: 'recv' as const, rx })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'subscribe' as const }) },
  { weight: 1, arbitrary: fc.nat(5).map((rx) => ({ kind: 'drop' as const, rx })) },
);

describe('broadcast properties', () => {
  it('matches a model: every receiver gets each value sent after it subscribed, in order, or a lag that counts exactly what it missed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 80 }), (capacity, ops) => {
        const [tx, first] = broadcast.channel<number>(capacity);
        const sent: number[] = [];
        const receivers = [{ rx: first, next: 0, alive: true }];
        for (const o of ops) {
          const live = receivers.filter((r) => r.alive);
          if (o.kind === 'send') {
            if (live.length === 0) {
              expect(() => tx.send(o.value)).toThrow(SendError);
            } else {
              expect(tx.send(o.value)).toBe(live.length);
              sent.push(o.value);
            }
          } else if (o.kind === 'subscribe') {
            receivers.push({ rx: tx.subscribe(), next: sent.length, alive: true });
          } else {
            const r = receivers[o.rx % receivers.length];
            if (o.kind === 'drop') {
              r.rx.drop();
              r.alive = false;
              continue;
            }
            const low = Math.max(0, sent.length - capacity);
            if (!r.alive) {
              expect(r.rx.tryRecv()).toBeUndefined();
            } else if (r.next < low) {
              let caught: unknown;
              try {
                r.rx.tryRecv();
              } catch (e) {
                caught = e;
              }
              expect(caught).toBeInstanceOf(LaggedError);
              expect((caught as LaggedError).skipped).toBe(low - r.next);
              r.next = low;
            } else if (r.next < sent.length) {
              expect(r.rx.tryRecv()).toBe(sent[r.next]);
              r.next++;
            } else {
              expect(r.rx.tryRecv()).toBeUndefined();
            }
          }
          // Invariants after every step.
          const low = Math.max(0, sent.length - capacity);
          let held = 0;
          for (let p = low; p < sent.length; p++) {
            if (receivers.some((r) => r.alive && r.next <= p)) held++;
          }
          expect(tx.length).toBe(held);
          expect(tx.length).toBeLessThanOrEqual(capacity);
          expect(tx.receiverCount).toBe(receivers.filter((r) => r.alive).length);
          for (const r of receivers) if (r.alive) expect(r.rx.length).toBe(sent.length - r.next);
        }
      }),
    );
  });

  it('under random scheduling, consumers that keep up (recv loop, Observable, iterator) each get every value once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.integer(), { maxLength: 30 }), async (s, values) => {
        const [tx, rx] = broadcast.channel<number>(Math.max(1, values.length));
        const viaObservable = lastValueFrom(tx.subscribe().pipe(toArray()));
        const iterated = tx.subscribe();
        const viaIterator = (async () => {
          const seen: number[] = [];
          for await (const v of iterated) seen.push(v);
          return seen;
        })();
        const viaRecv = (async () => {
          const seen: number[] = [];
          for (let v = await rx.recv(); v !== undefined; v = await rx.recv()) seen.push(v);
          return seen;
        })();
        const producer = (async () => {
          for (const v of values) {
            await s.schedule(Promise.resolve());
            tx.send(v);
          }
          await s.schedule(Promise.resolve());
          tx.drop();
        })();
        await s.waitAll();
        await producer;
        expect(await viaObservable).toEqual(values);
        expect(await viaIterator).toEqual(values);
        expect(await viaRecv).toEqual(values);
      }),
      { numRuns: propertyRuns(50) },
    );
  });
});
