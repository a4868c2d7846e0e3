/**
 * Runs every program in examples/ as a user would (`npx tsx examples/<name>.ts`, with
 * 'rxjs-channel' resolved to lib/ through tsconfig paths) and checks what it prints: each
 * example must exit cleanly and show the behaviour it exists to demonstrate.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsxCli = require.resolve('tsx/cli');

function runExample(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsxCli, join('examples', name)], { cwd: root, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const checks: Record<string, (out: string) => void> = {
  'users.ts': (out) => {
    expect(out).toContain('received: {"id":"bob"}');
    expect(out).toContain('received: {"id":"tom"}');
    expect(out).toMatch(/Users: \[ \{ id: '(bob|tom)' \}, \{ id: '(bob|tom)' \} \]/);
  },
  'backpressure.ts': (out) => {
    const ahead = Number(/the producer was at most (\d+) ahead/.exec(out)?.[1]);
    expect(ahead).toBeLessThanOrEqual(6); // capacity 4 + concurrency 2
    expect(out).toContain('processed + dropped = 40 of 40');
  },
  'broadcast.ts': (out) => {
    expect(out).toContain('logger: [ 1, 2, 3, 4, 5, 6 ]');
    expect(out).toMatch(/dashboard: lagged by \d+/);
  },
  'mpmc.ts': (out) => {
    const jobs = [...out.matchAll(/\(job (\d+)\)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(jobs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // every job done exactly once
    expect(out).toContain('(total 8)');
  },
  'oneshot.ts': (out) => {
    expect(out).toContain('get hello => world');
    expect(out).toContain('no answer: RecvError');
  },
  'select.ts': (out) => {
    expect(out).toContain('command: start');
    expect(out).toContain('command: report');
    expect(out.trimEnd()).toMatch(/stopping$/);
  },
  'threads/users.ts': (out) => {
    expect(out).toMatch(/received: bob from thread \d+/);
    expect(out).toMatch(/received: tom from thread \d+/);
    expect(out).toContain("Users: [ 'bob', 'tom' ]");
  },
  'threads/pool.ts': (out) => {
    expect(out).toMatch(/jobs done: 40, primes counted: 91034, by 4 threads/);
  },
  'watch.ts': (out) => {
    expect(out).toContain('reader sees {"logLevel":"debug","workers":4}');
    expect(out).toContain('reader: every sender dropped');
  },
};

describe('examples/', () => {
  const files = [
    ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')),
    'threads/users.ts', // the threads programs; their worker files are not programs
    'threads/pool.ts',
  ];

  it('has a check for every example program', () => {
    expect(files.sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(files)('%s runs to completion and shows what it demonstrates', async (file) => {
    const { code, stdout, stderr } = await runExample(file);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    checks[file](stdout);
  }, 40_000);
});
