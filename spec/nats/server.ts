/**
 * A real nats-server for the NATS specs: found on PATH (or /usr/sbin, where Debian puts it),
 * installed with apt when missing and running as root, started per suite on 127.0.0.1 with a
 * random port and a temporary JetStream store, stopped by the PID it started.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL = "flock /tmp/apt.lock sh -c 'apt-get update && apt-get install -y nats-server'";

function findBinary(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/usr/bin'])) {
    const candidate = join(dir, 'nats-server');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The nats-server binary, installing Debian's package if needed and possible. */
export function natsServerBinary(): string {
  const found = findBinary();
  if (found !== null) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    execFileSync('sh', ['-c', INSTALL], { stdio: 'pipe', timeout: 300_000 });
    const installed = findBinary();
    if (installed !== null) return installed;
  }
  throw new Error(`nats-server is not installed; run (as root): ${INSTALL}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class NatsServer {
  readonly dir: string;
  readonly store: string;
  port = -1;
  #child: ChildProcess | null = null;
  readonly #binary: string;

  constructor() {
    this.#binary = natsServerBinary();
    this.dir = mkdtempSync(join(tmpdir(), 'rxc-nats-'));
    this.store = join(this.dir, 'store');
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts the server (on a random port the first time, on the same port and store afterwards). */
  async start(): Promise<void> {
    if (this.#child !== null) throw new Error('nats-server already running');
    for (const file of readdirSync(this.dir)) if (file.endsWith('.ports')) rmSync(join(this.dir, file));
    const args = ['-js', '-sd', this.store, '-a', '127.0.0.1', '-p', String(this.port), '--ports_file_dir', this.dir];
    const child = spawn(this.#binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}: ${stderr}`);
      const ports = readdirSync(this.dir).find((f) => f === `nats-server_${child.pid}.ports`);
      if (ports !== undefined) {
        const url = (JSON.parse(readFileSync(join(this.dir, ports), 'utf8')) as { nats: string[] }).nats[0];
        this.port = Number(new URL(url).port);
        if (/Server is ready/.test(stderr)) return;
      }
      await sleep(20);
    }
    throw new Error(`nats-server did not become ready: ${stderr}`);
  }

  /** Stops the server by its PID (SIGKILL: a crash; SIGTERM: a clean stop) and waits for its exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(child.pid as number, signal);
      await exited;
    }
  }

  /** Stops the server and removes its store. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
