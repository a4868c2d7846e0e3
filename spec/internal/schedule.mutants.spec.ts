/**
 * lib/internal/schedule.ts: the hook a test harness installs in the registered slot under the
 * registered symbol takes over every scheduled job, and without it jobs run as promise jobs.
 */
import { watch } from 'rxjs-channel';
import { hookSlot, rethrowLater, schedule, SCHEDULE_HOOK } from '../../lib/internal/schedule.js';

async function flushPromises(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

type Holder = { [SCHEDULE_HOOK]?: (job: () => void) => void };

describe('mutants: schedule', () => {
  let jobs: (() => void)[] = [];

  const install = (): void => {
    jobs = [];
    (hookSlot as Holder)[SCHEDULE_HOOK] = (job) => jobs.push(job);
  };
  afterEach(() => {
    delete (hookSlot as Holder)[SCHEDULE_HOOK];
  });

  it('uses the registered symbol, shared by both module builds', () => {
    expect(SCHEDULE_HOOK).toBe(Symbol.for('rxjs-channel.scheduleHook'));
  });

  it('without a hook, runs a job as a promise job: not at once, but after a flush', async () => {
    let ran = 0;
    schedule(() => ran++);
    expect(ran).toBe(0);
    await flushPromises();
    expect(ran).toBe(1);
  });

  it('with a hook installed, hands each job to the hook and runs nothing by itself', async () => {
    install();
    let ran = 0;
    schedule(() => ran++);
    await flushPromises();
    expect(ran).toBe(0);
    expect(jobs).toHaveLength(1);
    jobs[0]!();
    expect(ran).toBe(1);
  });

  it('rethrowLater schedules a job that throws the error', () => {
    install();
    const error = new Error('later');
    rethrowLater(error);
    expect(jobs).toHaveLength(1);
    expect(() => jobs[0]!()).toThrow(error);
  });

  it("a watch subscriber's delivery waits for the hook to run its job", async () => {
    const [tx, rx] = watch.channel(0);
    const seen: number[] = [];
    rx.subscribe((v) => seen.push(v));
    install();
    tx.send(1);
    await flushPromises();
    expect(seen).toEqual([0]);
    expect(jobs.length).toBeGreaterThan(0);
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) job();
    expect(seen).toEqual([0, 1]);
  });
});
