// Threads: P producer workers (P = 1 or 4) send the values 0..n-1 to the main thread, which
// consumes them. rxjs-channel (a sender moved into each worker, `await send` there, `for await`
// here) against a hand-written floor (batched postMessage with a credit window of C values per
// worker) and per-value postMessage with no flow control (what people write; unbounded).
// Timing includes starting the workers (the same for every case). This module is also the
// workers' script: a worker runs `produceIn(workerData)`.
import { isMainThread, MessageChannel, Worker, workerData } from 'node:worker_threads';

const self = new URL(import.meta.url);

function spawn(role, data, transfer) {
  return new Worker(self, { workerData: { role, ...data }, transferList: transfer });
}

async function produceIn({ role, port, p, step, n, capacity }) {
  if (role === 'rxc') {
    const lib = await import(process.env.RXC_LIB ?? 'rxjs-channel');
    const tx = lib.mpsc.senderFromPort(port);
    for (let v = p; v < n; v += step) await tx.send(v);
    tx.drop();
  } else if (role === 'floor') {
    let credit = capacity;
    let v = p;
    const pump = () => {
      const batch = [];
      for (; credit > 0 && v < n; v += step, credit--) batch.push(v);
      if (batch.length !== 0) port.postMessage(batch);
      if (v >= n) {
        port.postMessage(null);
        port.close();
      }
    };
    port.on('message', (freed) => {
      credit += freed;
      pump();
    });
    pump();
  } else if (role === 'post') {
    for (let v = p; v < n; v += step) port.postMessage(v);
    port.postMessage(null);
    port.close();
  }
}

if (!isMainThread && workerData?.role !== undefined) await produceIn(workerData);

function threads(kind, label, bounded) {
  return [1, 4].map((workers) => ({
    name: `${kind}-threads-w2m-x${workers}`,
    label: `${label}, ${workers} worker${workers === 1 ? '' : 's'} to main`,
    group: kind === 'rxc' ? 'rxjs-channel' : 'threads',
    bounded,
    shape: 'threads',
    capacities: [16, 1024],
    producerCounts: [workers],
    width: workers,
    available: (lib) => (lib.mpsc?.senderFromPort === undefined ? 'lib has no mpsc.senderFromPort yet' : null),
    run: kind === 'rxc' ? runRxc : kind === 'floor' ? runFloor : runPost,
  }));
}

async function runRxc({ n, capacity, producers, consumer, lib }) {
  const [tx, rx] = lib.mpsc.channel(capacity);
  const consume = consumer();
  for (let p = 0; p < producers; p++) {
    const port = tx.clone().intoPort();
    spawn('rxc', { port, p, step: producers, n }, [port]);
  }
  tx.drop();
  for await (const v of rx) consume(v);
}

function runPorts(role, { n, capacity, producers, consumer }, ack) {
  const consume = consumer();
  let open = producers;
  return new Promise((done) => {
    for (let p = 0; p < producers; p++) {
      const { port1, port2 } = new MessageChannel();
      spawn(role, { port: port2, p, step: producers, n, capacity }, [port2]);
      port1.on('message', (m) => {
        if (m === null) {
          port1.close();
          if (--open === 0) done();
          return;
        }
        if (Array.isArray(m)) {
          for (const v of m) consume(v);
          if (ack) port1.postMessage(m.length);
        } else consume(m);
      });
    }
  });
}

const runFloor = (ctx) => runPorts('floor', ctx, true);
const runPost = (ctx) => runPorts('post', ctx, false);

export const rxcThreads = threads('rxc', 'rxjs-channel: mpsc sender moved into each worker, await send there, for await here', true);
export const floorThreads = threads('floor', 'floor: batched postMessage with a credit window of C per worker', true);
export const postThreads = threads('post', 'per-value postMessage, no flow control (unbounded)', false);
