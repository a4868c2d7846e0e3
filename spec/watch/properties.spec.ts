import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { watch } from 'rxjs-channel';
import { propertyRuns } from '../helpers.js';

/** Whether `seen` is `all` with some elements left out, order kept. */
function isSubsequence(seen: number[], all: number[]): boolean {
  let i = 0;
  for (const v of all) if (i < seen.length && seen[i] === v) i++;
  return i === seen.length;
}

describe('watch properties', () => {
  it('under random scheduling, every consumer sees versions in order, never one twice, and always the final value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { maxLength: 10 }), async (s, bursts) => {
        // Distinct values, so "never twice" and order are observable.
        let counter = 0;
        const sent = bursts.map((burst) => burst.map(() => ++counter));
        const all = [0, ...sent.flat()];
        const [tx, rx] = watch.channel(0);
        const viaObservable = lastValueFrom(rx.pipe(toArray()));
        const iterated = tx.subscribe();
        const viaIterator = (async () => {
          const seen: number[] = [];
          for await (const v of iterated) seen.push(v);
          return seen;
        })();
        const polled = tx.subscribe();
        const viaChanged = (async () => {
          const seen = [polled.borrowAndUpdate()];
          for (;;) {
            try {
              await polled.changed();
            } catch {
              return seen;
            }
            seen.push(polled.borrowAndUpdate());
          }
        })();
        const producer = (async () => {
          for (const burst of sent) {
            await s.schedule(Promise.resolve());
            for (const v of burst) tx.send(v);
          }
          await s.schedule(Promise.resolve());
          tx.drop();
        })();
        await s.waitAll();
        await producer;
        for (const seen of [await viaObservable, await viaIterator, await viaChanged]) {
          expect(isSubsequence(seen, all)).toBe(true);
          expect(seen[seen.length - 1]).toBe(all[all.length - 1]);
        }
        // A synchronous burst reaches an Observable subscriber as its last value only.
        const observed = await viaObservable;
        for (const burst of sent) {
          for (const v of burst.slice(0, -1)) expect(observed).not.toContain(v);
        }
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
