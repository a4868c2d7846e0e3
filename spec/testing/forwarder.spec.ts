/**
 * The planted race of examples/testing/forwarder.ts: explore finds the lost value that plain
 * runs never show, reports a seed that replays it identically, and passes the fixed forwarder.
 */
import { explore, ExploreError } from 'rxjs-channel/testing';
import { forwardFixed, forwardRacy, pipeline, type Forward } from '../../examples/testing/forwarder.js';

const JOBS = ['a', 'b', 'c', 'd'];

const scenario = (forward: Forward) => async () => {
  const { received, lost } = await pipeline(JOBS, forward);
  if (lost.length !== 0) throw new Error(`lost ${lost.join(', ')}; received ${received.join(', ')}`);
  expect([...received].sort()).toEqual(['A', 'B', 'C', 'D']);
};

describe('the planted check-then-act race', () => {
  it('passes a plain run: the default order of promise jobs hides it', async () => {
    for (let i = 0; i < 5; i++) await scenario(forwardRacy)();
  });

  it('is found by explore, with a seed that replays the same failure and schedule', async () => {
    const found = await explore(scenario(forwardRacy), { runs: 100, seed: 2026 }).catch((e: unknown) => e);
    expect(found).toBeInstanceOf(ExploreError);
    const error = found as ExploreError;
    expect((error.cause as Error).message).toMatch(/^lost /);
    expect(error.message).toContain(`explore(scenario, { seed: ${error.seed}, runs: 1 })`);
    expect(error.reorderings).toBeGreaterThan(0);

    const replay = (await explore(scenario(forwardRacy), { seed: error.seed, runs: 1 }).catch((e: unknown) => e)) as ExploreError;
    expect(replay).toBeInstanceOf(ExploreError);
    expect(replay.message).toBe(error.message.replace(/run \d+ of 100/, 'run 1 of 1'));
    expect(replay.schedule).toEqual(error.schedule);
    expect(replay.trace).toEqual(error.trace);

    // The shortest schedule alone reproduces it too.
    await expect(explore(scenario(forwardRacy), { schedule: error.schedule })).rejects.toThrow(/lost /);
  });

  it('finds nothing in the fixed forwarder over all runs', async () => {
    await expect(explore(scenario(forwardFixed), { runs: 300, seed: 2026 })).resolves.toEqual({ runs: 300, seed: 2026, maxSteps: expect.any(Number) });
  });
});
