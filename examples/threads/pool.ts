// A bounded CPU work pool: jobs go through an mpmc channel into 4 worker threads (each job to
// exactly one of them), results come back through an mpsc channel. Both channels live in this
// thread; their bounds hold across the ports, so the feeder never runs more than 8 jobs ahead
// of the workers and no worker can flood the results.
import { once } from 'node:events';
import { mpmc, mpsc } from 'rxjs-channel';
import { tsWorker } from './ts-worker.js';

export interface Result {
  n: number;
  primes: number;
  thread: number;
}

const [jobs, jobsRx] = mpmc.channel<number>(8);
const [results, resultsRx] = mpsc.channel<Result>(8);
const workers = Array.from({ length: 4 }, () => {
  const jobsPort = jobsRx.clone().intoPort();
  const resultsPort = results.clone().intoPort();
  return tsWorker(new URL('./pool-worker.ts', import.meta.url), {
    workerData: { jobs: jobsPort, results: resultsPort },
    transferList: [jobsPort, resultsPort] as never[], // DOM and Node typings: two MessagePort types
  });
});
jobsRx.drop();
results.drop();
// Each worker says when it has opened its ports; feeding before that would hand every job to
// the first worker up (the jobs are small, and a worker takes a while to start).
await Promise.all(workers.map((worker) => once(worker, 'message')));

const feeding = (async () => {
  using tx = jobs;
  for (let job = 1; job <= 40; job++) await tx.send(job * 1_000); // waits while 8 jobs are queued
})();

const threads = new Set<number>();
let total = 0;
let done = 0;
for await (const result of resultsRx) {
  threads.add(result.thread);
  total += result.primes;
  done++;
}
await feeding;
console.log(`jobs done: ${done}, primes counted: ${total}, by ${threads.size} threads`);
