/**
 * Cross-build identity: receivers and senders made by the CommonJS build work with the ESM
 * build's `select`, `toChannel`, `backpressure` and `mergeMapBounded`, and the other way round.
 * Jest runs CommonJS, so the check runs as an ES module in a child Node process
 * (cross-build/fixture.mjs), inside a consumer project where `import` and `require` of
 * 'rxjs-channel' resolve through the exports map (see consumer.ts). Same-build pairs run as
 * controls: a failure only in the mixed directions is a cross-build failure.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumer } from './consumer.js';

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

const target = consumer();
afterAll(() => target.dispose());
const fixture = join(target.dir, 'cross-build.mjs');
copyFileSync(join(__dirname, 'cross-build/fixture.mjs'), fixture);
const child = spawnSync(process.execPath, [fixture], { cwd: target.dir, encoding: 'utf8', timeout: 60_000 });
const last = child.stdout.trim().split('\n').pop() ?? '';
let results: Result[] = [];
try {
  results = (JSON.parse(last) as { results: Result[] }).results;
} catch {
  results = [];
}

describe(`cross-build identity (${target.packed ? 'installed tarball' : 'dist/ linked'})`, () => {
  it('the fixture ran to the end in its own process, loading two distinct builds', () => {
    expect({ status: child.status, stderr: child.stderr, error: child.error?.message }).toEqual({ status: 0, stderr: '', error: undefined });
    expect(results.length).toBeGreaterThanOrEqual(4 * 15);
  });

  it.each(results.map((r) => [r.name, r] as const))('%s', (_name, result) => {
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});
