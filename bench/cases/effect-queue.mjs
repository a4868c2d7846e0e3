// effect@4 Queue.bounded: producer fibers (Effect.forkChild) offer; the consumer takes one value
// at a time, or drains with takeAll (which in effect 4 suspends until at least one value is
// there and returns a non-empty batch). `effect-take-xR` runs R taker fibers on one queue, the
// MPMC shape next to rxjs-channel's mpmc rows.
import { Effect, Fiber, Queue } from 'effect';

function program(n, capacity, producers, consumers) {
  return Effect.gen(function* () {
    const queue = yield* Queue.bounded(capacity);
    const fibers = [];
    for (let p = 0; p < producers; p++) {
      fibers.push(
        yield* Effect.forkChild(
          Effect.gen(function* () {
            for (let v = p; v < n; v += producers) yield* Queue.offer(queue, v);
          }),
        ),
      );
    }
    yield* consumers(queue);
    yield* Fiber.joinAll(fibers);
    yield* Queue.shutdown(queue);
  });
}

export const effectTake = {
  name: 'effect-take',
  label: 'effect Queue.bounded, take',
  group: 'peer',
  package: 'effect',
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
  package: 'effect',
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
            for (let i = 0; i < batch.length; i++) consume(batch[i]);
            received += batch.length;
          }
        }),
      ),
    );
  },
};

/** R taker fibers share the queue; together they take n values (a shared count stops them). */
function takers(receivers) {
  return {
    name: `effect-take-x${receivers}`,
    label: `effect Queue.bounded, ${receivers} taker fiber${receivers === 1 ? '' : 's'}`,
    group: 'peer',
  package: 'effect',
    bounded: true,
    slow: true,
    shape: 'mpmc',
    capacities: [16, 1024],
    producerCounts: [4],
    width: receivers,
    run({ n, capacity, producers, consumer }) {
      const consume = consumer({ ordered: receivers === 1 });
      let left = n;
      return Effect.runPromise(
        program(n, capacity, producers, (queue) =>
          Effect.gen(function* () {
            const fibers = [];
            for (let r = 0; r < receivers; r++) {
              fibers.push(
                yield* Effect.forkChild(
                  Effect.gen(function* () {
                    while (left > 0) {
                      left--;
                      consume(yield* Queue.take(queue));
                    }
                  }),
                ),
              );
            }
            yield* Fiber.joinAll(fibers);
          }),
        ),
      );
    },
  };
}

export const effectTakeX1 = takers(1);
export const effectTakeX4 = takers(4);
export const effectTakeX8 = takers(8);
