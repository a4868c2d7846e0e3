// Threads: values crossing between the main thread and worker threads, both directions, with 1
// or 4 workers, and a work pool.
//
// - w2m: P producer workers (P = 1 or 4) send the values 0..n-1 to the main thread, which
//   consumes them (the harness's tally runs here, and so does its heap figure).
// - m2w: P producers in the main thread send to P consumer workers, one each (a worker checks
//   what it got and reports its tally and its own heap growth: the receiving thread's).
// - pool: jobs 0..n-1 go to 4 workers, each job to one of them; a job returns its value.
//
// Peers: a hand-written floor (batched postMessage with a credit window of C values per
// worker, what the transport cannot beat), per-value postMessage with no flow control (what
// people write; unbounded), a transferred web ReadableStream (highWaterMark C), Comlink (one
// call per value, awaited) and, for the pool, piscina (`pool.run` per job, all submitted).
//
// Workers are started once per process and kept (the warm-up run starts them and loads what
// they import): the timing is the transport's, not thread start-up or module loading, which
// would otherwise dominate at these N. This module is also the workers' script.
import { isMainThread, MessageChannel, parentPort, Worker, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { setInterval, clearInterval } from 'node:timers';
import { ReadableStream } from 'node:stream/web';

const self = new URL(import.meta.url);
const loadLib = () => import(process.env.RXC_LIB ?? 'rxjs-channel');
const loadComlink = async () => {
  const [comlink, adapter] = await Promise.all([import('comlink'), import('comlink/dist/esm/node-adapter.mjs')]);
  return { wrap: comlink.wrap, expose: comlink.expose, endpoint: adapter.default };
};

// ---- the worker side ---------------------------------------------------------------------------

/**
 * A receiving worker's tally, as the harness keeps one (count, sum, per-producer order), plus
 * the worker's heap growth: sampled every 4096 values, after a GC at the harness's checkpoints
 * in a live run (`gcEvery`), so it is live memory there.
 */
function workerTally(producers, gcEvery) {
  const gc = gcEvery !== 0 ? globalThis.gc : undefined;
  gc?.();
  const heap = () => getHeapStatistics().used_heap_size;
  const base = heap();
  const last = new Array(producers).fill(-1);
  let peak = base;
  let count = 0;
  let low = 0;
  let high = 0;
  let disorder = 0;
  const consume = (value) => {
    const p = value % producers;
    if (value <= last[p]) disorder++;
    last[p] = value;
    low += value;
    if (low >= 2 ** 28) {
      low -= 2 ** 28;
      high++;
    }
    count++;
    if ((count & 4095) === 0 || (gc !== undefined && count % gcEvery === 0)) {
      if (gc !== undefined && count % gcEvery === 0) gc();
      const used = heap();
      if (used > peak) peak = used;
    }
  };
  consume.summary = () => ({ count, sum: high * 2 ** 28 + low, disorder, heapGrowth: Math.max(peak, heap()) - base });
  return consume;
}

const roles = {
  // ---- w2m: this worker produces ----
  async 'rxc-send'({ port, p, step, n }) {
    const lib = await loadLib();
    const tx = lib.mpsc.senderFromPort(port);
    for (let v = p; v < n; v += step) await tx.send(v);
    tx.drop();
  },
  async 'rxc-trysend'({ port, p, step, n }) {
    // The fast path: trySend while a slot is held, await send only when the channel is full.
    const lib = await loadLib();
    const tx = lib.mpsc.senderFromPort(port);
    for (let v = p; v < n; v += step) if (!tx.trySend(v)) await tx.send(v);
    tx.drop();
  },
  'floor-send'({ port, p, step, n, capacity }) {
    return new Promise((done) => {
      let credit = capacity;
      let v = p;
      const pump = () => {
        const batch = [];
        for (; credit > 0 && v < n; v += step, credit--) batch.push(v);
        if (batch.length !== 0) port.postMessage(batch);
        if (v >= n) {
          port.postMessage(null);
          port.close();
          done();
        }
      };
      port.on('message', (freed) => {
        credit += freed;
        pump();
      });
      pump();
    });
  },
  'post-send'({ port, p, step, n }) {
    for (let v = p; v < n; v += step) port.postMessage(v);
    port.postMessage(null);
    port.close();
  },
  'stream-send'({ port, p, step, n, capacity }) {
    let v = p;
    const stream = new ReadableStream(
      {
        pull(controller) {
          if (v < n) {
            controller.enqueue(v);
            v += step;
          } else controller.close();
        },
      },
      { highWaterMark: capacity },
    );
    port.postMessage(stream, [stream]);
    port.close();
  },
  async 'comlink-send'({ port, p, step, n }) {
    const { wrap, endpoint } = await loadComlink();
    const remote = wrap(endpoint(port));
    for (let v = p; v < n; v += step) await remote.push(v);
    port.close();
  },

  // ---- m2w: this worker consumes ----
  async 'rxc-recv'({ port, producers, gcEvery }) {
    const lib = await loadLib();
    const consume = workerTally(producers, gcEvery);
    const rx = lib.mpsc.receiverFromPort(port);
    for await (const v of rx) consume(v);
    return consume.summary();
  },
  async 'rxc-subscribe'({ port, producers, gcEvery }) {
    const lib = await loadLib();
    const consume = workerTally(producers, gcEvery);
    const rx = lib.mpsc.receiverFromPort(port);
    await new Promise((complete, error) => rx.subscribe({ next: consume, error, complete }));
    return consume.summary();
  },
  'ports-recv'({ port, producers, gcEvery, ack }) {
    const consume = workerTally(producers, gcEvery);
    return new Promise((done) => {
      port.on('message', (m) => {
        if (m === null) {
          port.close();
          done(consume.summary());
        } else if (Array.isArray(m)) {
          for (const v of m) consume(v);
          if (ack) port.postMessage(m.length);
        } else consume(m);
      });
    });
  },
  async 'stream-recv'({ stream, producers, gcEvery }) {
    const consume = workerTally(producers, gcEvery);
    for await (const v of stream) consume(v);
    return consume.summary();
  },
  async 'comlink-recv'({ port, producers, gcEvery }) {
    const { expose, endpoint } = await loadComlink();
    const consume = workerTally(producers, gcEvery);
    return new Promise((done) => {
      expose(
        {
          push: consume,
          end() {
            setImmediate(() => {
              port.close();
              done(consume.summary());
            });
          },
        },
        endpoint(port),
      );
    });
  },

  // ---- pool: this worker runs jobs ----
  async 'rxc-pool'({ jobs: jobsPort, results: resultsPort }) {
    const lib = await loadLib();
    const jobs = lib.mpmc.receiverFromPort(jobsPort);
    const results = lib.mpsc.senderFromPort(resultsPort);
    for await (const job of jobs) await results.send(job);
    results.drop();
  },
};

if (!isMainThread && workerData?.benchWorker === true) {
  parentPort.on('message', async ({ id, role, args }) => {
    try {
      parentPort.postMessage({ id, result: await roles[role](args) });
    } catch (error) {
      parentPort.postMessage({ id, error: String(error?.stack ?? error) });
    }
  });
}

// ---- the main side ---------------------------------------------------------------------------

const workers = [];
let nextTask = 0;

/** The first `k` of this process's workers, started on first use and kept (unref'd while idle). */
function pool(k) {
  while (workers.length < k) {
    const worker = new Worker(self, { workerData: { benchWorker: true } });
    const tasks = new Map();
    worker.on('message', ({ id, result, error }) => {
      const task = tasks.get(id);
      tasks.delete(id);
      if (tasks.size === 0) worker.unref();
      if (error !== undefined) task.reject(new Error(`worker: ${error}`));
      else task.resolve(result);
    });
    worker.on('error', (error) => {
      for (const task of tasks.values()) task.reject(error);
      tasks.clear();
    });
    worker.unref();
    workers.push({ worker, tasks });
  }
  return workers.slice(0, k);
}

/** Runs `role` in worker `w` with `args` (transferring `transfer`); resolves with its result. */
function task(w, role, args, transfer = []) {
  const id = nextTask++;
  return new Promise((resolve, reject) => {
    // A worker with a task keeps this process alive; an idle one does not.
    if (w.tasks.size === 0) w.worker.ref();
    w.tasks.set(id, { resolve, reject });
    w.worker.postMessage({ id, role, args }, transfer);
  });
}

/** Merges the tallies workers report into the harness's consumer (count, sum, order, heap). */
function merge(consume, summaries) {
  for (const s of summaries) consume.merge(s);
}

// w2m: the workers produce, this thread consumes.

/** w2m with rxjs-channel; `fast`: trySend there (await send only when full), subscribe() here. */
async function w2mRxc({ n, capacity, producers, consumer, lib }, fast = false) {
  const [tx, rx] = lib.mpsc.channel(capacity);
  const consume = consumer();
  const running = pool(producers).map((w, p) => {
    const port = tx.clone().intoPort();
    return task(w, fast ? 'rxc-trysend' : 'rxc-send', { port, p, step: producers, n }, [port]);
  });
  tx.drop();
  if (fast) await new Promise((complete, error) => rx.subscribe({ next: consume, error, complete }));
  else for await (const v of rx) consume(v);
  await Promise.all(running);
}

function w2mPorts(role, { n, capacity, producers, consumer }, ack) {
  const consume = consumer();
  const running = [];
  const received = pool(producers).map((w, p) => {
    const { port1, port2 } = new MessageChannel();
    running.push(task(w, role, { port: port2, p, step: producers, n, capacity }, [port2]));
    return new Promise((done) => {
      port1.on('message', (m) => {
        if (m === null) {
          port1.close();
          done();
        } else if (Array.isArray(m)) {
          for (const v of m) consume(v);
          if (ack) port1.postMessage(m.length);
        } else consume(m);
      });
    });
  });
  return Promise.all([...running, ...received]);
}

async function w2mStream({ n, capacity, producers, consumer }) {
  const consume = consumer();
  // A transferred stream's own port does not keep this thread alive, and the worker's task
  // ends once it handed the stream over.
  const alive = setInterval(() => {}, 1 << 30);
  await Promise.all(
    pool(producers).map(async (w, p) => {
      const { port1, port2 } = new MessageChannel();
      const stream = new Promise((resolve) => port1.once('message', resolve));
      await task(w, 'stream-send', { port: port2, p, step: producers, n, capacity }, [port2]);
      for await (const v of await stream) consume(v);
      port1.close();
    }),
  );
  clearInterval(alive);
}

async function w2mComlink({ n, producers, consumer }) {
  const { expose, endpoint } = await loadComlink();
  const consume = consumer();
  await Promise.all(
    pool(producers).map(async (w, p) => {
      const { port1, port2 } = new MessageChannel();
      expose({ push: consume }, endpoint(port1));
      await task(w, 'comlink-send', { port: port2, p, step: producers, n }, [port2]);
      port1.close();
    }),
  );
}

// m2w: this thread produces, P producers, one per worker; the workers consume.

/** m2w with rxjs-channel; `fast`: trySend here (await send only when full), subscribe() there. */
async function m2wRxc({ n, capacity, producers, consumer, lib, gcEvery }, fast = false) {
  const consume = consumer();
  const summaries = await Promise.all(
    pool(producers).map(async (w, p) => {
      const [tx, rx] = lib.mpsc.channel(capacity);
      const port = rx.intoPort();
      const received = task(w, fast ? 'rxc-subscribe' : 'rxc-recv', { port, producers, gcEvery }, [port]);
      for (let v = p; v < n; v += producers) {
        if (!fast || !tx.trySend(v)) await tx.send(v);
      }
      tx.drop();
      return received;
    }),
  );
  merge(consume, summaries);
}

async function m2wPorts(ack, { n, capacity, producers, consumer, gcEvery }) {
  const consume = consumer();
  const summaries = await Promise.all(
    pool(producers).map((w, p) => {
      const { port1, port2 } = new MessageChannel();
      const received = task(w, 'ports-recv', { port: port2, producers, gcEvery, ack }, [port2]);
      if (!ack) {
        for (let v = p; v < n; v += producers) port1.postMessage(v);
        port1.postMessage(null);
        port1.close();
        return received;
      }
      let credit = capacity;
      let v = p;
      const pump = () => {
        const batch = [];
        for (; credit > 0 && v < n; v += producers, credit--) batch.push(v);
        if (batch.length !== 0) port1.postMessage(batch);
        if (v >= n) {
          port1.postMessage(null);
          port1.close();
        }
      };
      port1.on('message', (freed) => {
        credit += freed;
        pump();
      });
      pump();
      return received;
    }),
  );
  merge(consume, summaries);
}

async function m2wStream({ n, capacity, producers, consumer, gcEvery }) {
  const consume = consumer();
  const summaries = await Promise.all(
    pool(producers).map((w, p) => {
      let v = p;
      const stream = new ReadableStream(
        {
          pull(controller) {
            if (v < n) {
              controller.enqueue(v);
              v += producers;
            } else controller.close();
          },
        },
        { highWaterMark: capacity },
      );
      return task(w, 'stream-recv', { stream, producers, gcEvery }, [stream]);
    }),
  );
  merge(consume, summaries);
}

async function m2wComlink({ n, producers, consumer, gcEvery }) {
  const { wrap, endpoint } = await loadComlink();
  const consume = consumer();
  const summaries = await Promise.all(
    pool(producers).map(async (w, p) => {
      const { port1, port2 } = new MessageChannel();
      const received = task(w, 'comlink-recv', { port: port2, producers, gcEvery }, [port2]);
      const remote = wrap(endpoint(port1));
      for (let v = p; v < n; v += producers) await remote.push(v);
      await remote.end();
      port1.close();
      return received;
    }),
  );
  merge(consume, summaries);
}

// pool: 4 workers, each job to one of them.

const POOL = 4;

async function poolRxc({ n, capacity, consumer, lib }) {
  const consume = consumer({ ordered: false });
  const [jobs, jobsRx] = lib.mpmc.channel(capacity);
  const [results, resultsRx] = lib.mpsc.channel(capacity);
  const running = pool(POOL).map((w) => {
    const ports = { jobs: jobsRx.clone().intoPort(), results: results.clone().intoPort() };
    return task(w, 'rxc-pool', ports, [ports.jobs, ports.results]);
  });
  jobsRx.drop();
  results.drop();
  const feeding = (async () => {
    for (let v = 0; v < n; v++) await jobs.send(v);
    jobs.drop();
  })();
  for await (const v of resultsRx) consume(v);
  await Promise.all([feeding, ...running]);
}

let piscina = null;

async function poolPiscina({ n, consumer }) {
  const consume = consumer({ ordered: false });
  if (piscina === null) {
    const { Piscina } = await import('piscina');
    piscina = new Piscina({ filename: new URL('./threads-piscina-job.mjs', import.meta.url).href, minThreads: POOL, maxThreads: POOL, idleTimeout: 60_000 });
  }
  const running = new Array(n);
  for (let v = 0; v < n; v++) running[v] = piscina.run(v).then(consume);
  await Promise.all(running);
}

// ---- the cases ---------------------------------------------------------------------------------

/**
 * Warm-up runs before the timed one, for every row of these sections alike: each child process
 * starts its workers cold, and one warm-up run of N / 10 values leaves the code on both sides
 * of the port barely optimised (a long-running program's would be).
 */
const WARMUPS = 5;

const hasPorts = (lib) => (lib.mpsc?.senderFromPort === undefined ? 'lib has no mpsc.senderFromPort yet' : null);

const W2M = {
  rxc: ['rxjs-channel: mpsc sender moved into each worker, await send there, for await here', true, w2mRxc, 'rxjs-channel'],
  'rxc-fast': ['rxjs-channel, the fast path: trySend in each worker (await send only when full), subscribe() here', true, (ctx) => w2mRxc(ctx, true), 'rxjs-channel'],
  floor: ['floor: batched postMessage with a credit window of C per worker', true, (ctx) => w2mPorts('floor-send', ctx, true)],
  post: ['per-value postMessage, no flow control (unbounded)', false, (ctx) => w2mPorts('post-send', ctx, false)],
  stream: ['a ReadableStream (highWaterMark C) made in each worker, transferred here, for await', true, w2mStream],
  comlink: ['Comlink: one awaited call per value from each worker', false, w2mComlink, 'comlink'],
};

const M2W = {
  rxc: ['rxjs-channel: P mpsc channels here, each receiver moved into a worker; await send here, for await there', true, m2wRxc, 'rxjs-channel'],
  'rxc-fast': ['rxjs-channel, the fast path: P mpsc channels here, trySend (await send only when full) here, subscribe() there', true, (ctx) => m2wRxc(ctx, true), 'rxjs-channel'],
  floor: ['floor: batched postMessage with a credit window of C per worker', true, (ctx) => m2wPorts(true, ctx)],
  post: ['per-value postMessage, no flow control (unbounded)', false, (ctx) => m2wPorts(false, ctx)],
  stream: ['a ReadableStream (highWaterMark C) per worker, transferred to it, for await there', true, m2wStream],
  comlink: ['Comlink: one awaited call per value into each worker', false, m2wComlink, 'comlink'],
};

function threadCases(direction, table) {
  return Object.entries(table).flatMap(([kind, [label, bounded, run, pkg]]) =>
    [1, 4].map((width) => ({
      name: `${kind}-threads-${direction}-x${width}`,
      label: `${label}; ${width} worker${width === 1 ? '' : 's'}`,
      group: kind.startsWith('rxc') ? 'rxjs-channel' : 'threads',
      ...(pkg !== undefined && pkg !== 'rxjs-channel' ? { package: pkg } : {}),
      bounded,
      shape: direction === 'w2m' ? 'threads' : 'threads-m2w',
      capacities: [16, 1024],
      producerCounts: [width],
      width,
      available: hasPorts,
      warmups: WARMUPS,
      run,
    })),
  );
}

export const w2mCases = threadCases('w2m', W2M);
export const m2wCases = threadCases('m2w', M2W);
export const poolCases = [
  {
    name: 'rxc-pool-x4',
    label: 'rxjs-channel: jobs through an mpmc channel (C) into 4 workers, results back through an mpsc channel (C)',
    group: 'rxjs-channel',
    bounded: true,
    shape: 'pool',
    capacities: [16, 1024],
    producerCounts: [1],
    width: POOL,
    available: (lib) => (lib.mpmc?.receiverFromPort === undefined ? 'lib has no mpmc.receiverFromPort yet' : null),
    warmups: WARMUPS,
    run: poolRxc,
  },
  {
    name: 'piscina-pool-x4',
    label: 'piscina: 4 threads, pool.run(job) for every job, all submitted at once (unbounded)',
    group: 'threads',
    package: 'piscina',
    bounded: false,
    shape: 'pool',
    producerCounts: [1],
    width: POOL,
    warmups: WARMUPS,
    run: poolPiscina,
  },
];
