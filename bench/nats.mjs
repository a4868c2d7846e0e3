// rxjs-channel/nats against the raw nats.js JetStream client doing the same work, in its own
// process: `node bench/nats.mjs '{"n":3000,"rounds":5}'` (run.mjs runs it as the `nats` case).
// Starts its own nats-server (127.0.0.1, a random port, a temporary store) and stops it by its
// PID; prints one JSON line. Without a nats-server on this machine it prints `{ skipped }`.
//
// Each round measures, alternating which side goes first:
// - sequential: `await tx.send(v)` vs `await js.publish(subject, data, { msgID })`, one by one;
// - pipelined: N sends issued at once, then awaited, vs N publishes issued at once (the raw
//   client keeps no order across a refusal; rxjs-channel does, see docs/08-across-machines.md);
// - receive: `await rx.recv()` N times vs fetch(100) + ack() per message;
// and, once, the latency of a send waiting on a full channel (capacity 1) resuming after a
// receive makes room. Ratios are rxjs-channel's msgs/s over the raw client's (median rounds).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextEncoder } from 'node:util';
import { pathToFileURL } from 'node:url';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function findNatsServer() {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/usr/bin'])) {
    if (dir !== '' && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  }
  return null;
}

async function startServer(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'rxc-bench-nats-'));
  const child = spawn(binary, ['-js', '-sd', join(dir, 'store'), '-a', '127.0.0.1', '-p', '-1', '--ports_file_dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ports = readdirSync(dir).find((f) => f === `nats-server_${child.pid}.ports`);
    if (ports !== undefined && /Server is ready/.test(stderr)) {
      return { url: JSON.parse(readFileSync(join(dir, ports), 'utf8')).nats[0], stop };
    }
    await sleep(20);
  }
  await stop();
  throw new Error(`nats-server did not start: ${stderr.trim().split('\n').slice(-2).join(' | ')}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main({ n = 3000, rounds = 5, latencySamples = 50 }) {
  const binary = findNatsServer();
  if (binary === null) {
    return { skipped: 'nats-server is not installed (Debian: apt-get install -y nats-server); the NATS benchmark needs a real server' };
  }
  const [{ connect }, { jetstream: jsClient, jetstreamManager }] = await Promise.all([import('@nats-io/transport-node'), import('@nats-io/jetstream')]);
  const entry = process.env.RXC_LIB ? new URL('./nats/index.js', process.env.RXC_LIB).href : 'rxjs-channel/nats';
  const { jetstream } = await import(entry);
  const server = await startServer(binary);
  const errors = [];
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jsClient(nc);
    const encoder = new TextEncoder();
    await jsm.streams.add({ name: 'raw', subjects: ['raw.v'], retention: 'workqueue', max_msgs: n, discard: 'new', storage: 'file' });
    await jsm.consumers.add('raw', { durable_name: 'rx', ack_policy: 'explicit', max_ack_pending: 100 });
    const rawConsumer = await js.consumers.get('raw', 'rx');
    const ch = await jetstream.channel(nc, 'ours', { capacity: n, window: 100 });
    const tx = await ch.sender();
    const rx = await ch.receiver();
    let id = 0;
    const publish = (i) => js.publish('raw.v', encoder.encode(JSON.stringify({ i })), { msgID: `r-${id++}` });
    const rawDrain = async () => {
      let got = 0;
      while (got < n) {
        const batch = await rawConsumer.fetch({ max_messages: 100, expires: 1000 });
        for await (const m of batch) {
          if (JSON.parse(m.string()).i !== got) errors.push(`raw: value ${got} out of order`);
          m.ack();
          got++;
        }
      }
    };
    const ourDrain = async () => {
      for (let i = 0; i < n; i++) {
        const v = await rx.recv();
        if (v?.i !== i) errors.push(`rxjs-channel: got ${JSON.stringify(v)}, expected { i: ${i} }`);
      }
    };
    const sides = {
      sequential: {
        ours: () => timed(async () => { for (let i = 0; i < n; i++) await tx.send({ i }); }),
        raw: () => timed(async () => { for (let i = 0; i < n; i++) await publish(i); }),
      },
      pipelined: {
        ours: () => timed(() => Promise.all(Array.from({ length: n }, (_, i) => tx.send({ i })))),
        raw: () => timed(() => Promise.all(Array.from({ length: n }, (_, i) => publish(i)))),
      },
    };
    const ms = { sequential: { ours: [], raw: [] }, pipelined: { ours: [], raw: [] }, receive: { ours: [], raw: [] } };
    // One warm-up round (JIT, connection buffers, the server's first file blocks), then the timed ones.
    for (let round = -1; round < rounds; round++) {
      for (const shape of ['sequential', 'pipelined']) {
        const order = round % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours'];
        for (const side of order) {
          const sent = await sides[shape][side]();
          // Each side's stream holds its n values now: receiving them is the receive figure.
          const received = await timed(side === 'ours' ? ourDrain : rawDrain);
          if (round >= 0) {
            ms[shape][side].push(sent);
            ms.receive[side].push(received);
          }
        }
      }
    }
    // Resume latency: a send waiting on a full channel, from the receive that makes room.
    const small = await jetstream.channel(nc, 'small', { capacity: 1 });
    const stx = await small.sender();
    const srx = await small.receiver();
    const lat = [];
    for (let k = 0; k < latencySamples; k++) {
      await stx.send(k);
      const waiting = stx.send(k + 0.5);
      await sleep(5); // long enough for its publish to be refused: it is waiting for room
      const t0 = performance.now();
      await srx.recv();
      await waiting;
      lat.push(performance.now() - t0);
      await srx.recv();
    }
    lat.sort((a, b) => a - b);
    await Promise.all([tx.drop(), stx.drop()]);
    const figures = {};
    for (const [shape, { ours, raw }] of Object.entries(ms)) {
      const perSecond = (xs) => Math.round(n / (median(xs) / 1000));
      // The ratio of each round (its two sides ran back to back), then the median: a slow spell
      // of a shared machine hits both sides of a round alike.
      figures[shape] = { ours: perSecond(ours), raw: perSecond(raw), ratio: +median(ours.map((t, i) => raw[i] / t)).toFixed(2) };
    }
    const round2 = (x) => +x.toFixed(2);
    return {
      n,
      rounds,
      ...figures,
      resumeLatencyMs: { samples: lat.length, p50: round2(quantile(lat, 0.5)), p90: round2(quantile(lat, 0.9)), max: round2(lat[lat.length - 1]) },
      server: readServerVersion(binary),
      errors: [...new Set(errors)].slice(0, 5),
    };
  } finally {
    await nc.close();
    await server.stop();
  }
}

function readServerVersion(binary) {
  try {
    // `nats-server --version` prints `nats-server: v2.9.10`.
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'nats-server (version unknown)';
  }
}

/** The lines run.mjs prints after its table. */
export function natsText(result) {
  if (result === undefined || result === null) return '';
  if (result.skipped) return `NATS (rxjs-channel/nats vs the raw @nats-io/jetstream client): skipped, ${result.skipped}`;
  if (result.errors?.length && result.sequential === undefined) return `NATS: FAILED ${result.errors.join('; ')}`;
  const row = (label, f) => `  ${label.padEnd(44)} ${String(f.ours).padStart(7)} ${String(f.raw).padStart(7)}   ${f.ratio.toFixed(2)}x${f.ratio >= 0.8 ? '' : '  (target >= 0.8x missed)'}`;
  const l = result.resumeLatencyMs;
  return [
    `NATS JetStream, ${result.server}, localhost, N = ${result.n} JSON values, median of ${result.rounds} rounds (msgs/s)`,
    `  ${''.padEnd(44)} ${'ours'.padStart(7)} ${'raw'.padStart(7)}   ratio`,
    row('sequential: await send / await publish', result.sequential),
    row('pipelined: N sends at once / N publishes', result.pipelined),
    row('receive: await recv / fetch + ack', result.receive),
    `  resume of a waiting send after a receive (capacity 1): p50 ${l.p50} ms, p90 ${l.p90} ms, max ${l.max} ms (${l.samples} samples)`,
    ...(result.errors?.length ? [`  ERRORS: ${result.errors.join('; ')}`] : []),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let result;
  try {
    result = await main(JSON.parse(process.argv[2] ?? '{}'));
  } catch (error) {
    result = { errors: [String(error?.stack ?? error).split('\n').slice(0, 3).join(' | ')] };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  // The client's timers must not keep a finished benchmark alive.
  process.exit(0);
}
