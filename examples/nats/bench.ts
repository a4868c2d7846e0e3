// Throughput of rxjs-channel/nats against the raw nats.js JetStream client doing the same work
// (publish with acknowledgement; consume with acknowledgement), and the latency of a waiting
// send resuming after a receive makes room. `npx tsx examples/nats/bench.ts` (starts its own server).
import { connect } from '@nats-io/transport-node';
import { jetstream as jsClient, jetstreamManager } from '@nats-io/jetstream';
import { jetstream } from 'rxjs-channel/nats';
import { NatsServer } from '../../spec/nats/server.js';

const N = 3000;
const server = new NatsServer();
await server.start();
const nc = await connect({ servers: server.url });
try {
  // raw: publish with ack (sequential), then consume with ack
  const jsm = await jetstreamManager(nc);
  const js = jsClient(nc);
  await jsm.streams.add({ name: 'raw', subjects: ['raw.v'], retention: 'workqueue' as never, max_msgs: N, discard: 'new' as never });
  await jsm.consumers.add('raw', { durable_name: 'rx', ack_policy: 'explicit' as never, max_ack_pending: 100 });
  let t = performance.now();
  for (let i = 0; i < N; i++) await js.publish('raw.v', JSON.stringify({ i }), { msgID: `r-${i}` });
  const rawSend = performance.now() - t;
  const c = await js.consumers.get('raw', 'rx');
  t = performance.now();
  let got = 0;
  while (got < N) {
    const batch = await c.fetch({ max_messages: 100, expires: 1000 });
    for await (const m of batch) { JSON.parse(m.string()); m.ack(); got++; }
  }
  const rawRecv = performance.now() - t;
  // ours
  const ch = await jetstream.channel<{ i: number }>(nc, 'ours', { capacity: N, window: 100 });
  const tx = await ch.sender();
  t = performance.now();
  for (let i = 0; i < N; i++) await tx.send({ i });
  const ourSend = performance.now() - t;
  const rx = await ch.receiver();
  t = performance.now();
  for (let i = 0; i < N; i++) await rx.recv();
  const ourRecv = performance.now() - t;
  // pipelined (issued without awaiting)
  t = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => tx.send({ i })));
  const ourSendPipe = performance.now() - t;
  t = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => js.publish('raw.v', JSON.stringify({ i }), { msgID: `p-${i}` })));
  const rawSendPipe = performance.now() - t;
  for (let i = 0; i < N; i++) await rx.recv();
  // resume latency: capacity 1, a waiting send resumes after a receive
  const small = await jetstream.channel<number>(nc, 'small', { capacity: 1 });
  const stx = await small.sender();
  const srx = await small.receiver();
  const lat: number[] = [];
  for (let k = 0; k < 50; k++) {
    await stx.send(k);
    const waiting = stx.send(k + 0.5);
    await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await srx.recv();
    await waiting;
    lat.push(performance.now() - t0);
    await srx.recv();
  }
  lat.sort((a, b) => a - b);
  const rate = (ms: number) => Math.round(N / (ms / 1000));
  console.log(JSON.stringify({
    sequentialSend: { ours: rate(ourSend), raw: rate(rawSend), ratio: +(rawSend / ourSend).toFixed(2) },
    pipelinedSend: { ours: rate(ourSendPipe), raw: rate(rawSendPipe), ratio: +(rawSendPipe / ourSendPipe).toFixed(2) },
    receive: { ours: rate(ourRecv), raw: rate(rawRecv), ratio: +(rawRecv / ourRecv).toFixed(2) },
    resumeLatencyMs: { p50: +lat[25].toFixed(2), p90: +lat[45].toFixed(2), max: +lat[49].toFixed(2) },
  }));
  await stx.drop(); await tx.drop();
} finally {
  await nc.close();
  await server.dispose();
}
