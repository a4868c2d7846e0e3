/**
 * mpmc across real `worker_threads`: receiver handles moved into workers share the queue, each
 * value goes to exactly one of them, and a worker that dies gives back what it had not taken.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { mpmc, mpsc } from 'rxjs-channel';
import { exited, message, spawn, until } from './helpers.js';

jest.setTimeout(60_000);

interface Result {
  job: number;
  by: number;
}

function pool(count: number, crash: Record<number, number> = {}) {
  const [jobs, jobsRx] = mpmc.channel<number>(16);
  const [results, resultsRx] = mpsc.channel<Result>(16);
  const workers = Array.from({ length: count }, (_, id) => {
    const jobsPort = jobsRx.clone().intoPort();
    const resultsPort = results.clone().intoPort();
    return spawn('pool-worker', { jobs: jobsPort, results: resultsPort, id, crashAfter: crash[id] ?? -1 }, [jobsPort, resultsPort]);
  });
  const ready = Promise.all(workers.map((worker) => message(worker)));
  jobsRx.drop();
  results.drop();
  return { jobs, jobsRx, resultsRx, workers, ready };
}

describe('mpmc receivers in workers', () => {
  it('a work pool of 4 workers: every job is done exactly once, results come back through mpsc', async () => {
    const { jobs, jobsRx, resultsRx, workers } = pool(4);
    expect(jobsRx.receiverCount).toBe(4); // the ports hold the handles
    const feeding = (async () => {
      for (let job = 0; job < 2_000; job++) await jobs.send(job);
      jobs.drop();
    })();
    const results = await lastValueFrom(resultsRx.pipe(toArray()));
    await feeding;
    expect(results.map((r) => r.job).sort((a, b) => a - b)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    for (const worker of workers) expect((await exited(worker)).code).toBe(0);
  });

  it('the workers take turns: with every worker ready, each takes a share of the jobs (none starves)', async () => {
    const { jobs, resultsRx, ready } = pool(4);
    await ready;
    const feeding = (async () => {
      for (let job = 0; job < 40; job++) await jobs.send(job);
      jobs.drop();
    })();
    const results = await lastValueFrom(resultsRx.pipe(toArray()));
    await feeding;
    const counts = [0, 1, 2, 3].map((id) => results.filter((r) => r.by === id).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    // Jobs arrive one at a time (each send frees a slot): each goes to the worker that waited
    // longest. A per-receiver watch let two workers take them all.
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(5);
  });

  it('a worker that crashes gives back the jobs it was handed and had not taken: they go to the others', async () => {
    const { jobs, resultsRx, workers, ready } = pool(3, { 0: 20 });
    await ready; // every worker has opened its ports: all of them are served from the start
    const feeding = (async () => {
      for (let job = 0; job < 1_000; job++) await jobs.send(job);
      jobs.drop();
    })();
    const results = await lastValueFrom(resultsRx.pipe(toArray()));
    await feeding;
    expect(results.map((r) => r.job).sort((a, b) => a - b)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    // How many jobs reach worker 0 before the others drain the channel is up to the scheduler:
    // on a loaded machine it may get none and so never crash. When it does crash, it finished
    // exactly its 20, and every job it was handed and had not taken was done by another.
    const byZero = results.filter((r) => r.by === 0).length;
    const [crashed, ...others] = await Promise.all(workers.map(exited));
    if (crashed.error !== undefined) {
      expect(crashed.error.message).toBe('worker 0 crashed');
      expect(byZero).toBe(20);
    } else expect(byZero).toBeLessThan(20);
    for (const done of others) expect(done.code).toBe(0);
  });

  it('values a dead worker was handed and had not taken come back first, in their order', async () => {
    const count = 2_000; // more than one receiving thread's window (1,024)
    const [tx, rx] = mpmc.channel<number>(count);
    for (let i = 0; i < count; i++) expect(tx.trySend(i)).toBe(true);
    const port = rx.clone().intoPort();
    const worker = spawn('mpmc-take-one', { port }, [port]);
    expect(await message(worker)).toEqual({ took: 0 });
    // Its window (1,024 values) holds the oldest values; once the value it took is acknowledged
    // one more goes out. terminate() could cut off that acknowledgement (it is posted at the end
    // of the worker's turn), so wait for it: a value taken there must not come back.
    await until(() => rx.length === count - 1 - 1_024);
    await worker.terminate();
    await until(() => rx.receiverCount === 1);
    expect(rx.length).toBe(count - 1);
    tx.drop();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual(Array.from({ length: count - 1 }, (_, i) => i + 1));
  });

  it('when every receiver handle is in a worker and they all end, the channel closes for the senders', async () => {
    const [tx, rx] = mpmc.channel<number>(4);
    const [results, resultsRx] = mpsc.channel<Result>(4);
    const jobsPort = rx.intoPort();
    const resultsPort = results.intoPort();
    const worker = spawn('pool-worker', { jobs: jobsPort, results: resultsPort, id: 9, crashAfter: 2 }, [jobsPort, resultsPort]);
    await tx.send(1);
    await tx.send(2);
    await tx.closed(); // the only receiver's thread ended
    expect(tx.isClosed).toBe(true);
    expect((await lastValueFrom(resultsRx.pipe(toArray()))).map((r) => r.job)).toEqual([1, 2]);
    expect((await exited(worker)).code).toBe(1);
  });
});
