// `npm run example:nats`: starts its own nats-server (random port, temporary store), a collector
// process and two producer processes, and prints what the collector received.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream } from 'rxjs-channel/nats';

const here = import.meta.dirname;
const binary = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find(existsSync) ?? 'nats-server';
const dir = mkdtempSync(join(tmpdir(), 'rxc-example-'));
const server = spawn(binary, ['-js', '-sd', join(dir, 'store'), '-a', '127.0.0.1', '-p', '-1', '--ports_file_dir', dir], { stdio: 'ignore' });
server.on('error', () => {
  console.error("nats-server not found: apt-get install -y nats-server (Debian), or see https://docs.nats.io");
  process.exit(1);
});
const portsFile = join(dir, `nats-server_${server.pid}.ports`);
for (let i = 0; i < 300 && !existsSync(portsFile); i++) await new Promise((r) => setTimeout(r, 20));
const url = (JSON.parse(readFileSync(portsFile, 'utf8')) as { nats: string[] }).nats[0];
await new Promise((r) => setTimeout(r, 200)); // the ports file is written just before the server accepts clients

function start(file: string, env: Record<string, string>): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [join(here, '../../node_modules/tsx/dist/cli.mjs'), join(here, file)], {
    env: { ...process.env, NATS_URL: url, CHANNEL: 'users', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.pipe(process.stdout);
  return { child, done: new Promise((resolve) => child.once('exit', resolve)) };
}

const ready = (child: ChildProcess, line: string): Promise<void> =>
  new Promise((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes(line) && resolve()));

const nc = await connect({ servers: url });
try {
  // As `main` in the tokio tutorial holds the sender it clones to each task and drops it once
  // they have theirs, this process holds a sender until both producers registered their own:
  // the collector cannot see "no sender left" before the slower producer has started.
  const users = await jetstream.channel(nc, 'users', { capacity: 100 });
  const tx = await users.sender();
  const collector = start('collector.ts', {});
  const producers = [start('producer.ts', { IDS: 'bob,ann' }), start('producer.ts', { IDS: 'tom,eve' })];
  await Promise.all(producers.map((p) => ready(p.child, 'producer ready')));
  await tx.drop();
  const codes = await Promise.all([collector.done, ...producers.map((p) => p.done)]);
  if (codes.some((code) => code !== 0)) process.exitCode = 1;
} finally {
  await nc.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
