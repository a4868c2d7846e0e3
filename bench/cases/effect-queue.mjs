// effect@3 Queue.bounded: producer fibers offer; the consumer takes one value at a time, or
// drains with takeAll (falling back to one suspending take when the queue is empty).
import { Effect, Fiber, Queue } from 'effect';

function program(n, capacity, producers, consumeAll) {
  return Effect.gen(function* () {
    const queue = yield* Queue.bounded(capacity);
    const fibers = [];
    for (let p = 0; p < producers; p++) {
      fibers.push(
        yield* Effect.fork(
          Effect.gen(function* () {
            for (let v = p; v < n; v += producers) yield* Queue.offer(queue, v);
          }),
        ),
      );
    }
    yield* consumeAll(queue);
    yield* Fiber.joinAll(fibers);
    yield* Queue.shutdown(queue);
  });
}

export const effectTake = {
  name: 'effect-take',
  label: 'effect Queue.bounded, take',
  group: 'peer',
  bounded: true,
  slow: true, // several µs per value: N / 5, see run.mjs
  run({ n, capacity, producers, consumer }) {
    const consume = consumer();
    return Effect.runPromise(
      program(n, capacity, producers, (queue) =>
        Effect.gen(function* () {
          for (let received = 0; received < n; received++) consume(yield* Queue.take(queue));
        }),
      ),
    );
  },
};

export const effectTakeAll = {
  name: 'effect-takeall',
  label: 'effect Queue.bounded, takeAll batches',
  group: 'peer',
  bounded: true,
  slow: (capacity) => capacity < 1024, // several µs per value below C = 1024: N / 5, see run.mjs
  run({ n, capacity, producers, consumer }) {
    const consume = consumer();
    return Effect.runPromise(
      program(n, capacity, producers, (queue) =>
        Effect.gen(function* () {
          let received = 0;
          while (received < n) {
            const batch = yield* Queue.takeAll(queue);
            if (batch.length === 0) {
              consume(yield* Queue.take(queue));
              received++;
            } else {
              for (const v of batch) consume(v);
              received += batch.length;
            }
          }
        }),
      ),
    );
  },
};
