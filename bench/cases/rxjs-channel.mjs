// rxjs-channel's mpsc channel in every consumption style a user has. Each producer owns a
// clone and drops it when done; the consumer sees the real end of the channel.
import { produce } from '../harness.mjs';

/** Producers that `await tx.send(v)` for every value. */
export function sendAll(tx, producers, n) {
  const running = produce(producers, n, async (p, step, count) => {
    const own = tx.clone();
    for (let v = p; v < count; v += step) await own.send(v);
    own.drop();
  });
  tx.drop();
  return running;
}

/** Producers on the fast path: `trySend`, falling back to `await send` only when full. */
function trySendAll(tx, producers, n) {
  const running = produce(producers, n, async (p, step, count) => {
    const own = tx.clone();
    for (let v = p, k = 1; v < count; v += step, k++) {
      if (!own.trySend(v)) await own.send(v);
      else if ((k & 1023) === 0) await null; // let the other producers interleave
    }
    own.drop();
  });
  tx.drop();
  return running;
}

function subscribed(rx, consume) {
  return new Promise((resolve, reject) => rx.subscribe({ next: consume, error: reject, complete: resolve }));
}

/** `await tx.send` + `for await`, for any kind whose `channel(capacity)` gives `[tx, rx]`. */
export function sendIterOf(kind) {
  return async ({ n, capacity, producers, consumer, lib }) => {
    const [tx, rx] = lib[kind].channel(capacity);
    const consume = consumer();
    const producing = sendAll(tx, producers, n);
    for await (const v of rx) consume(v);
    await producing;
  };
}

export const sendIter = {
  name: 'rxc-send-iter',
  label: 'rxjs-channel: await send + for await',
  group: 'rxjs-channel',
  bounded: true,
  run: sendIterOf('mpsc'),
};

export const sendSubscribe = {
  name: 'rxc-send-subscribe',
  label: 'rxjs-channel: await send + subscribe',
  group: 'rxjs-channel',
  bounded: true,
  async run({ n, capacity, producers, consumer, lib }) {
    const [tx, rx] = lib.mpsc.channel(capacity);
    const done = subscribed(rx, consumer());
    await Promise.all([sendAll(tx, producers, n), done]);
  },
};

export const trySendSubscribe = {
  name: 'rxc-trysend-subscribe',
  label: 'rxjs-channel: trySend + subscribe (fast path)',
  group: 'rxjs-channel',
  bounded: true,
  async run({ n, capacity, producers, consumer, lib }) {
    const [tx, rx] = lib.mpsc.channel(capacity);
    const done = subscribed(rx, consumer());
    await Promise.all([trySendAll(tx, producers, n), done]);
  },
};

export const recvMany = {
  name: 'rxc-recvmany',
  label: 'rxjs-channel: await send + recvMany(C)',
  group: 'rxjs-channel',
  bounded: true,
  async run({ n, capacity, producers, consumer, lib }) {
    const [tx, rx] = lib.mpsc.channel(capacity);
    const consume = consumer();
    const producing = sendAll(tx, producers, n);
    for (;;) {
      const batch = await rx.recvMany(capacity);
      if (batch.length === 0) break;
      for (let i = 0; i < batch.length; i++) consume(batch[i]);
    }
    await producing;
  },
};
