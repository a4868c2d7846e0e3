/* global clearTimeout */
// Runs the bundled contract specs (spec/runtimes/bundle.mjs, target 'server') in Deno or Bun,
// one process per spec file (a fresh module graph per file, as under jest). The bundles sit in
// the scratch install, so 'rxjs' and 'rxjs-channel' resolve from its node_modules exactly as
// in a user's project; Deno uses that node_modules directory as is (--node-modules-dir=manual)
// and never reaches the network.
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;

export const runtimes = {
  deno: {
    bin: 'node_modules/@deno/linux-x64-glibc/deno',
    args: (driver, bundle) => ['run', '-A', '--no-prompt', '--node-modules-dir=manual', '--no-config', driver, bundle],
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
  },
  bun: {
    bin: 'node_modules/@oven/bun-linux-x64/bin/bun',
    args: (driver, bundle) => ['run', '--no-install', driver, bundle],
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1' },
  },
};

function runOne(bin, args, options, timeout) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs every bundled spec file (bundleDir inside `consumer`) in `name` ('deno' or 'bun').
 * Returns `{ version, results }`, one jest-shaped result per file.
 */
export async function runServerRuntime({ name, root, consumer, bundleDir, files, concurrency = 2, fileTimeout = 120_000 }) {
  const runtime = runtimes[name];
  const bin = join(root, runtime.bin);
  const driver = join(bundleDir, 'driver.mjs');
  copyFileSync(join(here, 'driver.mjs'), driver);
  const env = { ...process.env, ...runtime.env, DENO_DIR: join(consumer, '.deno') };
  delete env.RXJS_CHANNEL_PACKED;
  const version = (await runOne(bin, ['--version'], { cwd: consumer, env }, 30_000)).stdout.trim().split('\n')[0];
  const queue = [...files];
  const results = [];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const bundle = join(bundleDir, file.replace(/\.ts$/, '.js'));
      const started = Date.now();
      const out = await runOne(bin, runtime.args(driver, bundle), { cwd: consumer, env }, fileTimeout);
      const last = out.stdout.trim().split('\n').pop() ?? '';
      let result;
      try {
        result = JSON.parse(last);
      } catch {
        result = { suiteError: `${name} exited with ${out.signal ?? out.code} before reporting\n${out.stderr.slice(-2000)}\n${out.stdout.slice(-1000)}` };
      }
      results.push({ name: file, assertionResults: result.assertionResults ?? [], suiteError: result.suiteError, duration: Date.now() - started });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  results.sort((a, b) => a.name.localeCompare(b.name));
  return { version, results };
}
