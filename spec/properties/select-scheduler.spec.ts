/**
 * Scheduler test for select: a selector runs a series of selects over receives (an mpsc and an
 * mpmc channel, the latter with a competing consumer), sends (to an mpsc and an mpmc channel
 * drained by their own consumers), sometimes a default branch and sometimes a signal aborted
 * at a random point, while producers and consumers run; fast-check's scheduler reorders every
 * step. Checked: each select that resolved completed exactly its winning branch and no other;
 * a losing or aborted select consumed nothing and sent nothing: every value sent to a source
 * is received exactly once overall (by a select, the competitor, or the final drain), in
 * order, and the send targets received exactly the values of the send branches that won.
 */
import fc from 'fast-check';
import { mpmc, mpsc, select, type Branch } from 'rxjs-channel';
import { propertyRuns, underMutation } from '../helpers.js';

interface Plan {
  capA: number;
  capB: number;
  capOut: number;
  countA: number;
  countB: number;
  /** Per select: whether it has send branches, a default branch, a signal that gets aborted. */
  selects: { sends: boolean; withDefault: boolean; abort: boolean }[];
  competitor: boolean;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  capA: fc.integer({ min: 1, max: 3 }),
  capB: fc.integer({ min: 1, max: 3 }),
  capOut: fc.integer({ min: 1, max: 2 }),
  countA: fc.integer({ min: 0, max: 6 }),
  countB: fc.integer({ min: 0, max: 6 }),
  selects: fc.array(fc.record({ sends: fc.boolean(), withDefault: fc.boolean(), abort: fc.boolean() }), { minLength: 1, maxLength: 10 }),
  competitor: fc.boolean(),
});

interface Outcome {
  won: Record<string, number>;
  aborted: number;
}

async function runPlan(s: fc.Scheduler, plan: Plan): Promise<Outcome> {
  const [txA, rxA] = mpsc.channel<string>(plan.capA);
  const [txB, rxB] = mpmc.channel<string>(plan.capB);
  const [txC, rxC] = mpsc.channel<string>(plan.capOut);
  const [txD, rxD] = mpmc.channel<string>(plan.capOut);
  const tick = (label: string): Promise<void> => s.schedule(Promise.resolve(), label);

  const produce = async (name: string, tx: mpsc.Sender<string>, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await tick(`produce ${name}${i}`);
      await tx.send(`${name}${i}`);
    }
    tx.drop();
  };
  const drain = async (name: string, rx: mpsc.Receiver<string> | mpmc.Receiver<string>, into: string[]): Promise<void> => {
    for (;;) {
      await tick(`drain ${name}`);
      const v = await rx.recv();
      if (v === undefined) return;
      into.push(v);
    }
  };

  const fromA: string[] = [];
  const fromB: string[] = [];
  const competitorGot: string[] = [];
  const gotC: string[] = [];
  const gotD: string[] = [];
  const sentC: string[] = [];
  const sentD: string[] = [];
  const restA: string[] = [];
  const restB: string[] = [];
  const outcome: Outcome = { won: {}, aborted: 0 };

  const selector = async (): Promise<void> => {
    let openA = true;
    let openB = true;
    for (const [i, step] of plan.selects.entries()) {
      await tick(`select ${i}`);
      const branches: Record<string, Branch<string | undefined>> = {};
      if (step.sends || (!openA && !openB)) {
        branches.c = select.send(txC, `c${i}`);
        branches.d = select.send(txD, `d${i}`);
      }
      if (openA) branches.a = rxA;
      if (openB) branches.b = rxB;
      if (step.withDefault) branches.idle = select.default();
      let signal: AbortSignal | undefined;
      if (step.abort) {
        const controller = new AbortController();
        signal = controller.signal;
        void tick(`abort select ${i}`).then(() => controller.abort(new Error(`abort ${i}`)));
      }
      let r: { key: string; value: string | undefined };
      try {
        r = await select(branches, { signal });
      } catch (error) {
        expect((error as Error).message).toBe(`abort ${i}`);
        outcome.aborted++;
        continue;
      }
      outcome.won[r.key] = (outcome.won[r.key] ?? 0) + 1;
      if (r.key === 'a') {
        if (r.value === undefined) openA = false;
        else fromA.push(r.value);
      } else if (r.key === 'b') {
        if (r.value === undefined) openB = false;
        else fromB.push(r.value);
      } else if (r.key === 'c') sentC.push(`c${i}`);
      else if (r.key === 'd') sentD.push(`d${i}`);
      else expect(r).toEqual({ key: 'idle', value: undefined });
    }
    txC.drop();
    txD.drop();
    // Let the producers finish: whatever the selects left behind is taken here.
    for (let v = await rxA.recv(); v !== undefined; v = await rxA.recv()) restA.push(v);
    for (let v = await rxB.recv(); v !== undefined; v = await rxB.recv()) restB.push(v);
  };

  const competitorHandle = rxB.clone();
  const tasks = [
    produce('a', txA, plan.countA),
    produce('b', txB, plan.countB),
    drain('c', rxC, gotC),
    drain('d', rxD, gotD),
    selector(),
  ];
  if (plan.competitor) tasks.push(drain('competitor', competitorHandle, competitorGot));
  else competitorHandle.drop();
  const done = Promise.all(tasks);
  await s.waitIdle();
  await done;

  // The send targets got exactly the values of the send branches that won, in order.
  expect(gotC).toEqual(sentC);
  expect(gotD).toEqual(sentD);
  // Every value sent to a source was taken exactly once, by a winning select, the competitor
  // or the selector's final drain; none vanished into a losing branch.
  const expected = (name: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${name}${i}`);
  expect([...fromA, ...restA]).toEqual(expected('a', plan.countA));
  const allB = [...fromB, ...competitorGot, ...restB];
  expect([...allB].sort()).toEqual(expected('b', plan.countB).sort());
  for (const part of [fromB, competitorGot]) {
    expect(part).toEqual([...part].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
  }
  const resolved = Object.values(outcome.won).reduce((n, k) => n + k, 0);
  expect(resolved + outcome.aborted).toBe(plan.selects.length);
  return outcome;
}

describe('select under a random scheduler', () => {
  it('never lets a losing (or aborted) branch consume or send a value', async () => {
    const totals: Record<string, number> = {};
    let aborted = 0;
    await fc.assert(
      fc.asyncProperty(planArb, fc.scheduler(), async (plan, s) => {
        const outcome = await runPlan(s, plan);
        for (const [key, n] of Object.entries(outcome.won)) totals[key] = (totals[key] ?? 0) + n;
        aborted += outcome.aborted;
      }),
      { numRuns: propertyRuns(300) },
    );
    // every kind of branch won sometimes, and aborts landed while selects waited
    if (!underMutation) {
      expect(totals).toEqual({ a: expect.any(Number), b: expect.any(Number), c: expect.any(Number), d: expect.any(Number), idle: expect.any(Number) });
      expect(aborted).toBeGreaterThan(0);
    }
  });
});
