// A work queue: two producers feed thumbnail jobs into a bounded mpmc channel and a pool of
// three workers takes them, each job going to exactly one worker. The producers wait while the
// queue is full (backpressure); the workers stop when both producers are done and the queue is
// drained. Run it with `npx tsx examples/mpmc.ts`.
import { mpmc } from 'rxjs-channel';

interface Job {
  id: number;
  file: string;
}

async function produce(name: string, files: string[], jobs: mpmc.Sender<Job>, ids: { next: number }): Promise<void> {
  using sender = jobs; // dropped when this producer is done
  for (const file of files) {
    await sender.send({ id: ids.next++, file }); // waits while 4 jobs are already queued
    console.log(`${name} queued ${file}`);
  }
}

async function work(name: string, queue: mpmc.Receiver<Job>): Promise<number> {
  using inbox = queue; // releases this worker's handle when it stops
  let done = 0;
  for await (const job of inbox) {
    await new Promise((resolve) => setTimeout(resolve, 5 + (job.id % 3) * 5)); // the "work"
    console.log(`  ${name} made a thumbnail of ${job.file} (job ${job.id})`);
    done++;
  }
  return done;
}

const [jobs, queue] = mpmc.channel<Job>(4);
const ids = { next: 1 };
const workers = Promise.all(['w1', 'w2', 'w3'].map((name, i) => work(name, i < 2 ? queue.clone() : queue)));
await Promise.all([
  produce('camera', ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'], jobs.clone(), ids),
  produce('upload', ['x.png', 'y.png', 'z.png'], jobs, ids),
]);
const counts = await workers;
console.log(`Jobs per worker: ${counts.join(', ')} (total ${counts.reduce((a, b) => a + b, 0)})`);
