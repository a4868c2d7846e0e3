import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** A child process running a fixture, with its stdout lines. */
export class Fixture {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  #stderr = '';
  #waiters: { test: (line: string) => boolean; resolve: () => void }[] = [];

  constructor(fixture: string, env: Record<string, string>) {
    // Node itself with tsx's loader (not the tsx CLI, which runs the script in a grandchild a
    // SIGKILL would not reach).
    this.child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', fixture)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() as string;
      for (const line of parts) {
        this.lines.push(line);
        this.#waiters = this.#waiters.filter((w) => (w.test(line) ? (w.resolve(), false) : true));
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves at the first line (already printed or to come) that passes `test`; rejects if the process exits first. */
  line(test: (line: string) => boolean): Promise<void> {
    if (this.lines.some(test)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ test, resolve });
      void this.exited.then((code) => reject(new Error(`fixture exited (${code}) before the line: ${this.#stderr}`)));
    });
  }

  kill(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.child.pid as number, 'SIGKILL');
    return this.exited;
  }
}
