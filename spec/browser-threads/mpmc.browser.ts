/**
 * mpmc across Chromium module workers: a small work pool (jobs through an mpmc channel into 4
 * workers, results back through mpsc), and a pool worker that fails while holding jobs handed
 * to it.
 */
import { mpmc, mpsc, dropPort } from 'rxjs-channel';
import { failed, hasCloseEvent, message, spawn, terminateAll, until } from './helpers.js';

jest.setTimeout(15_000);
afterEach(terminateAll);

interface Result {
  job: number;
  by: number;
}

function pool(count: number) {
  const [jobs, jobsRx] = mpmc.channel<number>(16);
  const [results, resultsRx] = mpsc.channel<Result>(16);
  const workers = Array.from({ length: count }, (_, id) => {
    const jobsPort = jobsRx.clone().intoPort();
    const resultsPort = results.clone().intoPort();
    return spawn('pool-worker', { jobs: jobsPort, results: resultsPort, id }, [jobsPort, resultsPort]);
  });
  jobsRx.drop();
  results.drop();
  return { jobs, jobsRx, resultsRx, workers };
}

const feed = async (jobs: mpmc.Sender<number>, count: number): Promise<void> => {
  for (let job = 0; job < count; job++) await jobs.send(job);
  jobs.drop();
};

describe('a work pool of module workers', () => {
  it('4 workers: every job is done exactly once, results come back through mpsc', async () => {
    const { jobs, jobsRx, resultsRx, workers } = pool(4);
    expect(jobsRx.receiverCount).toBe(4); // the ports hold the moved handles
    const done = Promise.all(workers.map((w) => message<{ done: number }>(w, (m) => 'done' in m)));
    const feeding = feed(jobs, 2_000);
    const results: Result[] = [];
    for await (const r of resultsRx) results.push(r);
    await feeding;
    expect(results.map((r) => r.job).sort((a, b) => a - b)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    const perWorker = (await done).map((d) => d.done);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(2_000);
    for (const [by, n] of perWorker.entries()) expect(results.filter((r) => r.by === by)).toHaveLength(n);
  });

  it('a worker that fails holding jobs handed to it: terminated and let go, those jobs go to the others (none lost, none twice)', async () => {
    const [jobs, jobsRx] = mpmc.channel<number>(16);
    const [results, resultsRx] = mpsc.channel<Result>(16);
    const ports = [0, 1, 2].map(() => ({ jobs: jobsRx.clone().intoPort(), results: results.clone().intoPort() }));
    jobsRx.drop();
    results.drop();
    const launch = (id: number, crashAfter = -1): Worker =>
      spawn('pool-worker', { ...ports[id], id, crashAfter }, [ports[id].jobs, ports[id].results]);
    // Worker 0 alone first (the others' ports wait unopened, so nothing is handed to them):
    // it takes jobs until it fails after 20, holding those handed to it and not taken (its
    // window); a browser keeps it alive. Once its 20 results are here (its last turn posted),
    // the page ends it, lets its handles go, and only then starts the other two.
    const failing = launch(0, 20);
    const got: Result[] = [];
    const crashed = failed(failing).then(async (error) => {
      await until(() => got.filter((r) => r.by === 0).length === 20);
      failing.terminate();
      const dropped = hasCloseEvent ? 'close event' : [dropPort(ports[0].jobs), dropPort(ports[0].results)];
      launch(1);
      launch(2);
      return { error, dropped };
    });
    const feeding = feed(jobs, 1_000);
    for await (const r of resultsRx) got.push(r);
    await feeding;
    const { error, dropped } = await crashed;
    expect(error).toMatch(/worker 0 crashed/);
    expect(dropped).toEqual(hasCloseEvent ? 'close event' : [true, true]);
    expect(got.filter((r) => r.by === 0)).toHaveLength(20);
    expect(got.map((r) => r.job).sort((a, b) => a - b)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  });
});
