/**
 * Whole programs in child processes: the process exits by itself (no process.exit anywhere)
 * once its handles are dropped or ended, and the receiving thread's heap stays flat while
 * producer workers run ahead of a slow consumer.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entry } from './helpers.js';

jest.setTimeout(120_000);

function run(script: string, args: string[], flags: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, join(__dirname, 'fixtures', script), fileURLToPath(entry()), ...args], { timeout: 100_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('a program using ports exits by itself', () => {
  it('when its producer workers finish', async () => {
    expect(await run('exit-main.mjs', ['senders'])).toEqual({ code: 0, stdout: '{"count":200}\n', stderr: '' });
  });

  it('when the worker holding its receiver finishes', async () => {
    expect(await run('exit-main.mjs', ['receiver'])).toEqual({ code: 0, stdout: '{"count":100}\n', stderr: '' });
  });

  it('when a worker ends holding an idle sender: the sender counts down with its thread', async () => {
    expect(await run('exit-main.mjs', ['idle-sender'])).toEqual({ code: 0, stdout: '{"senders":0}\n', stderr: '' });
  });
});

describe('heap', () => {
  it('stays flat in the receiving thread while 4 producer workers run 10x ahead of the consumer', async () => {
    const { code, stdout, stderr } = await run('heap-main.mjs', [], ['--expose-gc']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(stdout) as { count: number; maxLength: number; samples: number[]; ordered: boolean };
    expect(report.count).toBe(100_000);
    expect(report.ordered).toBe(true);
    expect(report.maxLength).toBeLessThanOrEqual(16);
    expect(report.samples).toHaveLength(10);
    const growth = Math.max(...report.samples.slice(1)) - report.samples[1]!;
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });
});
