// One worker of the pool: takes jobs from the shared mpmc queue until it ends, sends each
// result back through its mpsc sender.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { mpmc, mpsc } from 'rxjs-channel';
import type { Result } from './pool.js';

const { jobs: jobsPort, results: resultsPort } = workerData as { jobs: MessagePort; results: MessagePort };
using jobs = mpmc.receiverFromPort<number>(jobsPort);
using results = mpsc.senderFromPort<Result>(resultsPort);
parentPort?.postMessage('ready');
for await (const n of jobs) {
  await results.send({ n, primes: countPrimes(n), thread: threadId });
}

/** CPU work: the primes below `n`, by trial division. */
function countPrimes(n: number): number {
  let count = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) {
      if (i % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}
