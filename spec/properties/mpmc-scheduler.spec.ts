/**
 * Scheduler test for mpmc: several producers `await tx.send` numbered sequences while several
 * consumers, on clones of the receiver, drain it in mixed styles (recv, iterator, subscribe,
 * recvMany, tryRecv, select), one of them possibly dropping its handle part way. fast-check's
 * scheduler reorders when each producer and consumer step runs. Checked: every value sent is
 * received by exactly one consumer (no loss, no duplicate), each consumer sees each producer's
 * values in send order, and the buffer never exceeds the capacity.
 */
import fc from 'fast-check';
import { mpmc, select } from 'rxjs-channel';
import { propertyRuns, underMutation } from '../helpers.js';

type Style = 'recv' | 'iterator' | 'subscribe' | 'recvMany' | 'tryRecv' | 'select';
const STYLES: Style[] = ['recv', 'iterator', 'subscribe', 'recvMany', 'tryRecv', 'select'];

interface Plan {
  capacity: number;
  producers: number[];
  consumers: { style: Style; batch: number; ownHandle: boolean }[];
  /** If set, one extra consumer takes this many values with recv, then drops its handle. */
  quitAfter: number | null;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  capacity: fc.integer({ min: 1, max: 4 }),
  producers: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 3 }),
  consumers: fc.array(
    fc.record({ style: fc.constantFrom(...STYLES), batch: fc.integer({ min: 1, max: 3 }), ownHandle: fc.boolean() }),
    { minLength: 1, maxLength: 4 },
  ),
  quitAfter: fc.option(fc.integer({ min: 0, max: 3 })),
});

async function runPlan(s: fc.Scheduler, plan: Plan, lengths: number[]): Promise<Set<Style>> {
  const [tx, rx] = mpmc.channel<string>(plan.capacity);
  const tick = async (label: string): Promise<void> => {
    await s.schedule(Promise.resolve(), label);
    lengths.push(rx.length);
  };
  const received: string[][] = [];

  const producer = async (p: number, count: number, sender: mpmc.Sender<string>): Promise<void> => {
    using handle = sender;
    for (let i = 0; i < count; i++) {
      await tick(`producer ${p} before ${i}`);
      await handle.send(`${p}:${i}`);
    }
  };

  const consumer = async (c: number, style: Style, batch: number, handle: mpmc.Receiver<string>): Promise<void> => {
    const got: string[] = (received[c] = []);
    switch (style) {
      case 'recv':
        for (let v = await handle.recv(); v !== undefined; v = await handle.recv()) {
          got.push(v);
          await tick(`consumer ${c} recv`);
        }
        break;
      case 'iterator':
        for await (const v of handle) {
          got.push(v);
          await tick(`consumer ${c} iterator`);
        }
        break;
      case 'subscribe':
        await new Promise<void>((resolve, reject) => handle.subscribe({ next: (v) => got.push(v), error: reject, complete: resolve }));
        break;
      case 'recvMany':
        for (let b = await handle.recvMany(batch); b.length !== 0; b = await handle.recvMany(batch)) {
          expect(b.length).toBeLessThanOrEqual(batch);
          got.push(...b);
          await tick(`consumer ${c} recvMany`);
        }
        break;
      case 'tryRecv':
        for (;;) {
          const v = handle.tryRecv();
          if (v !== undefined) got.push(v);
          else if (handle.isClosed && handle.isEmpty) break;
          await tick(`consumer ${c} tryRecv`);
        }
        break;
      case 'select':
        for (let r = await select({ job: handle }); r.value !== undefined; r = await select({ job: handle })) {
          got.push(r.value);
          await tick(`consumer ${c} select`);
        }
        break;
    }
  };

  const quitter = async (c: number, take: number, handle: mpmc.Receiver<string>): Promise<void> => {
    const got: string[] = (received[c] = []);
    for (let i = 0; i < take; i++) {
      await tick(`quitter before ${i}`);
      const v = await handle.recv();
      if (v === undefined) break;
      got.push(v);
    }
    handle.drop();
  };

  const handles = plan.consumers.map((c) => (c.ownHandle ? rx.clone() : rx));
  const senders = plan.producers.map(() => tx.clone());
  tx.drop();
  const tasks = [
    ...plan.producers.map((count, p) => producer(p, count, senders[p])),
    ...plan.consumers.map((c, i) => consumer(i, c.style, c.batch, handles[i])),
  ];
  if (plan.quitAfter !== null) tasks.push(quitter(plan.consumers.length, plan.quitAfter, rx.clone()));
  const done = Promise.all(tasks);
  await s.waitIdle();
  await done;

  const sent = plan.producers.flatMap((count, p) => Array.from({ length: count }, (_, i) => `${p}:${i}`));
  const all = received.flat();
  expect(all.length).toBe(sent.length); // no loss, no duplicate ...
  expect([...all].sort()).toEqual([...sent].sort()); // ... exactly the values sent
  for (const got of received) {
    plan.producers.forEach((_, p) => {
      const mine = got.filter((v) => v.startsWith(`${p}:`)).map((v) => Number(v.split(':')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    });
  }
  expect(rx.isClosed).toBe(true);
  return new Set(plan.consumers.map((c) => c.style));
}

describe('mpmc under a random scheduler', () => {
  it('delivers every value to exactly one receiver, in per-producer order, within capacity', async () => {
    const styles = new Set<Style>();
    let shared = 0;
    await fc.assert(
      fc.asyncProperty(planArb, fc.scheduler(), async (plan, s) => {
        const lengths: number[] = [];
        for (const style of await runPlan(s, plan, lengths)) styles.add(style);
        if (plan.consumers.length > 1) shared++;
        expect(Math.max(0, ...lengths)).toBeLessThanOrEqual(plan.capacity);
      }),
      { numRuns: propertyRuns(300) },
    );
    if (!underMutation) {
      expect(styles.size).toBe(STYLES.length);
      expect(shared).toBeGreaterThan(50);
    }
  });
});
