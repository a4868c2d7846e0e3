/**
 * Scheduler test for the operators over a receiver: several producers `await tx.send` numbered
 * sequences into an mpsc or mpmc channel while a pipeline reads it and stops early (`take(k)`,
 * a project that fails, a `break` out of `for await` over `backpressure`). fast-check's
 * scheduler reorders producer steps, project completions and the early stop. Checked, after
 * the producers are dropped and everything settled: every value sent was either handed on
 * exactly once or is still in the receiver (nothing lost, nothing duplicated), the values left
 * keep each producer's order, no send is left waiting while the receiver has room, and the
 * buffer never exceeds the capacity.
 */
import fc from 'fast-check';
import { firstValueFrom, take, toArray } from 'rxjs';
import { backpressure, mergeMapBounded, mpmc, mpsc } from 'rxjs-channel';
import { propertyRuns } from '../helpers.js';

type Stop = { kind: 'take'; k: number } | { kind: 'fail'; at: number } | { kind: 'break'; after: number };

interface Plan {
  kind: 'mpsc' | 'mpmc';
  capacity: number;
  concurrency: number;
  stop: Stop;
  producers: number[];
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  kind: fc.constantFrom<'mpsc' | 'mpmc'>('mpsc', 'mpmc'),
  capacity: fc.integer({ min: 1, max: 4 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  stop: fc.oneof(
    fc.record({ kind: fc.constant<'take'>('take'), k: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant<'fail'>('fail'), at: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constant<'break'>('break'), after: fc.integer({ min: 1, max: 6 }) }),
  ),
  producers: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
});

type Rx = mpsc.Receiver<string> | mpmc.Receiver<string>;

async function runPlan(s: fc.Scheduler, plan: Plan): Promise<void> {
  const [tx, rx]: [mpsc.Sender<string>, Rx] =
    plan.kind === 'mpsc' ? mpsc.channel<string>(plan.capacity) : mpmc.channel<string>(plan.capacity);
  const tick = (label: string): Promise<void> => s.schedule(Promise.resolve(), label);
  const handedOn: string[] = [];
  let maxLength = 0;

  const producer = async (p: number, count: number, sender: mpsc.Sender<string>): Promise<void> => {
    using handle = sender;
    for (let i = 0; i < count; i++) {
      await tick(`producer ${p} before ${i}`);
      await handle.send(`${p}:${i}`);
      maxLength = Math.max(maxLength, rx.length);
    }
  };

  const project = async (value: string): Promise<string> => {
    const index = handedOn.push(value) - 1;
    await tick(`project ${value}`);
    if (plan.stop.kind === 'fail' && index === plan.stop.at) throw new Error(`fail ${value}`);
    return value;
  };

  const consumer = async (): Promise<void> => {
    const stop = plan.stop;
    if (stop.kind === 'break') {
      let seen = 0;
      for await (const v of backpressure(2)(rx)) {
        handedOn.push(v);
        if (++seen >= stop.after) break;
        await tick(`body ${v}`);
      }
      return;
    }
    const pipeline = rx.pipe(mergeMapBounded(project, { concurrency: plan.concurrency }));
    if (stop.kind === 'take') await firstValueFrom(pipeline.pipe(take(stop.k), toArray())).catch(() => undefined);
    else await firstValueFrom(pipeline.pipe(toArray())).catch(() => undefined);
  };

  const senders = plan.producers.map((_, p) => (p === 0 ? tx : tx.clone()));
  const producers = plan.producers.map((count, p) => producer(p, count, senders[p]!));
  const consuming = consumer();
  // The consumer may stop before the producers are done: drain what is left ourselves.
  const remaining: string[] = [];
  const draining = (async () => {
    await consuming;
    for await (const v of rx) remaining.push(v);
  })();
  await s.waitFor(Promise.all([...producers, draining]));

  const sent = plan.producers.flatMap((count, p) => Array.from({ length: count }, (_, i) => `${p}:${i}`));
  // Nothing lost, nothing duplicated: each value was handed on once, or it was still there.
  expect([...handedOn, ...remaining].sort()).toEqual([...sent].sort());
  // The values left keep each producer's order.
  for (let p = 0; p < plan.producers.length; p++) {
    const mine = remaining.filter((v) => v.startsWith(`${p}:`)).map((v) => Number(v.split(':')[1]));
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
  }
  expect(maxLength).toBeLessThanOrEqual(plan.capacity);
  expect(tx.pendingSends).toBe(0);
}

describe('operators over a receiver under reordered scheduling', () => {
  it('lose nothing, duplicate nothing and keep per-producer order when they stop early', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), planArb, async (s, plan) => runPlan(s, plan)),
      { numRuns: propertyRuns(150) },
    );
  }, 60_000);
});
