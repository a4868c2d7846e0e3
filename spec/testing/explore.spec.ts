import { mpmc, mpsc } from 'rxjs-channel';
import { collect, explore, ExploreError, flush } from 'rxjs-channel/testing';

const HOOK = Symbol.for('rxjs-channel.scheduleHook');

/** Two workers of one mpmc queue; resolves with the order in which they got the jobs. */
async function whoGotWhat(): Promise<string> {
  const [tx, rx] = mpmc.channel<number>(4);
  const order: string[] = [];
  const work = async (name: string, rx: mpmc.Receiver<number>) => {
    for await (const n of rx) order.push(`${name}${n}`);
  };
  const workers = Promise.all([work('a', rx.clone()), work('b', rx)]);
  await flush(); // both wait for a job
  for (const n of [1, 2, 3]) await tx.send(n);
  tx.drop();
  await workers;
  return order.join(' ');
}

async function failure(promise: Promise<unknown>): Promise<ExploreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ExploreError)) throw new Error(`expected an ExploreError, got ${String(error)}`);
  return error;
}

describe('explore', () => {
  it('resolves with a report when every run passes, and installs no hook after', async () => {
    const report = await explore(async () => void (await whoGotWhat()), { runs: 30, seed: 7 });
    expect(report).toEqual({ runs: 30, seed: 7, maxSteps: expect.any(Number) });
    expect(report.maxSteps).toBeGreaterThan(0); // the workers' waits went through the explorer
    expect((globalThis as Record<symbol, Record<symbol, unknown> | undefined>)[Symbol.for('rxjs-channel.scheduleHookSlot')]?.[HOOK]).toBeUndefined();
  });

  it('really reorders the wake-ups: different seeds, different outcomes; one seed, one outcome', async () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      let outcome = '';
      await explore(async () => void (outcome = await whoGotWhat()), { seed, runs: 1 });
      outcomes.add(outcome);
      let again = '';
      await explore(async () => void (again = await whoGotWhat()), { seed, runs: 1 });
      expect(again).toBe(outcome);
    }
    expect(outcomes.size).toBeGreaterThan(1);
  });

  it('reports a failing seed, the shortest schedule, and replays both identically', async () => {
    // Job 1 goes to a (it waited first); fails when b resumes first: an order-dependent bug.
    const scenario = async () => {
      const order = await whoGotWhat();
      if (order.startsWith('b')) throw new Error(`b resumed first: ${order}`);
    };
    const first = await failure(explore(scenario, { runs: 50, seed: 3 }));
    expect(first.seed).toBeGreaterThanOrEqual(3);
    expect(first.message).toContain(`(seed ${first.seed}): Error: b resumed first`);
    expect(first.message).toContain(`Replay it: explore(scenario, { seed: ${first.seed}, runs: 1 })`);
    expect(first.reorderings).toBeGreaterThan(0);
    expect(first.reorderings).toBe(first.schedule.filter((p) => p !== 0).length);
    expect(first.trace).toHaveLength(first.steps);
    expect(first.cause).toBeInstanceOf(Error);

    const replay = await failure(explore(scenario, { seed: first.seed, runs: 1 }));
    expect(replay.seed).toBe(first.seed);
    expect(replay.schedule).toEqual(first.schedule);
    expect(replay.trace).toEqual(first.trace);
    expect((replay.cause as Error).message).toBe((first.cause as Error).message);

    const bySchedule = await failure(explore(scenario, { schedule: first.schedule }));
    expect(bySchedule.trace).toEqual(first.trace);
    expect(bySchedule.seed).toBeUndefined();
    // The default order (no reordering) passes.
    await expect(explore(scenario, { schedule: [] })).resolves.toMatchObject({ runs: 1 });
  });

  it('reports a scenario that cannot finish (a sender never dropped) instead of hanging', async () => {
    const error = await failure(
      explore(
        async () => {
          const [tx, rx] = mpsc.channel<number>(1);
          await tx.send(1);
          await collect(rx); // tx is never dropped
        },
        { runs: 3, seed: 1 },
      ),
    );
    expect(error.message).toMatch(/run 1 of 3 \(seed 1\): Error: the scenario cannot finish: nothing the library scheduled is left to run/);
  });

  it('reports a livelock after maxSteps jobs', async () => {
    const error = await failure(
      explore(
        async () => {
          // Ping-pong for ever: every hop is a wait the explorer runs.
          const [tx, rx] = mpsc.channel<number>(1);
          const [tx2, rx2] = mpsc.channel<number>(1);
          void (async () => {
            for await (const n of rx) await tx2.send(n + 1);
          })();
          await tx.send(0);
          for await (const n of rx2) await tx.send(n + 1);
        },
        { runs: 1, seed: 1, maxSteps: 50 },
      ),
    );
    expect(error.message).toContain('did not finish within 50 jobs');
  });

  it('lets a scenario flush: it resumes once the explorer ran everything scheduled', async () => {
    await explore(
      async () => {
        const [tx, rx] = mpsc.channel<number>(1);
        const seen: number[] = [];
        void (async () => {
          for await (const n of rx) seen.push(n);
        })();
        await tx.send(1);
        await tx.send(2);
        await flush();
        expect(seen).toEqual([1, 2]);
        tx.drop();
      },
      { runs: 20, seed: 11 },
    );
  });

  it.each([
    [{ runs: 0 }, RangeError, /`runs`/],
    [{ seed: -1 }, RangeError, /`seed`/],
    [{ maxSteps: 1.5 }, RangeError, /`maxSteps`/],
    [{ schedule: [1, -1] }, TypeError, /`schedule`/],
  ])('rejects the bad option %p', async (options, Err, name) => {
    await expect(explore(async () => {}, options as never)).rejects.toThrow(Err);
    await expect(explore(async () => {}, options as never)).rejects.toThrow(name);
  });

  it('rejects TypeError for a scenario that is not a function', async () => {
    await expect(explore(42 as never)).rejects.toThrow('Expected `scenario` to be a function, got `42` (number)');
  });
});
