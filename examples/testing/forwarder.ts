/**
 * A planted race for `explore` to find (docs/09-testing.md): two workers take jobs from a work
 * queue, render each one through a renderer task, and forward the result to an outbox of
 * capacity 1.
 *
 * `forwardRacy` checks that the outbox has room *before* it awaits the rendering, then queues
 * the result with `trySend`, sure that the slot it saw is still free. Across the `await`, the
 * other worker may have taken that slot: `trySend` returns `false` and the result is lost.
 * Under the default ordering of promise jobs the workers happen to take turns and every test
 * passes; `explore` finds the interleavings where they do not.
 *
 * `forwardFixed` waits for the slot after the rendering (`await out.send(...)`); a permit
 * reserved before the `await` (`await out.reserve()`) would be right too.
 */
import { mpmc, mpsc, oneshot } from 'rxjs-channel';

/** A rendering request: the job, and where to put the rendered text. */
export interface RenderRequest {
  readonly job: string;
  readonly reply: oneshot.Sender<string>;
}

/** Renders `job` through the renderer task behind `renderer`. */
export async function render(renderer: mpsc.Sender<RenderRequest>, job: string): Promise<string> {
  const [reply, rendered] = oneshot.channel<string>();
  await renderer.send({ job, reply });
  return rendered;
}

/** The renderer task: answers each request until every requester is gone. */
export async function renderer(requests: mpsc.Receiver<RenderRequest>): Promise<void> {
  for await (const { job, reply } of requests) reply.send(job.toUpperCase());
}

/** A way to forward one rendered job to the outbox; returns whether it got there. */
export type Forward = (out: mpsc.Sender<string>, rendering: Promise<string>) => Promise<boolean>;

/** Check-then-act across an `await`: the room seen before it may be gone after it. */
export const forwardRacy: Forward = async (out, rendering) => {
  if (out.capacity === 0) {
    await out.send(await rendering);
    return true;
  }
  const text = await rendering; // another worker may fill the slot meanwhile
  return out.trySend(text); // "there was room": false, and the text is lost
};

/** Waits for room after rendering: nothing is lost. */
export const forwardFixed: Forward = async (out, rendering) => {
  await out.send(await rendering);
  return true;
};

/** One worker: takes jobs until the queue ends, forwarding each; returns the jobs it lost. */
export async function worker(
  jobs: mpmc.Receiver<string>,
  renderer: mpsc.Sender<RenderRequest>,
  out: mpsc.Sender<string>,
  forward: Forward,
): Promise<string[]> {
  const lost: string[] = [];
  try {
    for await (const job of jobs) {
      if (!(await forward(out, render(renderer, job)))) lost.push(job);
    }
  } finally {
    renderer.drop();
    out.drop();
  }
  return lost;
}

/**
 * The whole pipeline over `jobs`: two workers, a renderer, a consumer. Resolves with what the
 * consumer received and what the workers lost.
 */
export async function pipeline(jobs: readonly string[], forward: Forward): Promise<{ received: string[]; lost: string[] }> {
  const [jobTx, jobRx] = mpmc.channel<string>(jobs.length);
  for (const job of jobs) jobTx.trySend(job);
  jobTx.drop();
  const [renderTx, renderRx] = mpsc.channel<RenderRequest>(1);
  const [outTx, outRx] = mpsc.channel<string>(1);
  const received: string[] = [];
  const consume = (async () => {
    for await (const text of outRx) received.push(text);
  })();
  const results = await Promise.all([
    worker(jobRx.clone(), renderTx.clone(), outTx.clone(), forward),
    worker(jobRx, renderTx, outTx, forward),
    renderer(renderRx),
    consume,
  ]);
  return { received, lost: [...results[0], ...results[1]] };
}
