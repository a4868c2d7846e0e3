/**
 * The node:test example of docs/09-testing.md runs and passes under Node's own test runner
 * (through tsx, which resolves 'rxjs-channel' and 'rxjs-channel/testing' by tsconfig paths).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

it('passes examples/testing/node-test.test.ts under `node --test`', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', join('examples', 'testing', 'node-test.test.ts')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect({ status: result.status, pass: /^# pass (\d+)/m.exec(output)?.[1], fail: /^# fail (\d+)/m.exec(output)?.[1] }).toEqual({
    status: 0,
    pass: '3',
    fail: '0',
  });
}, 60_000);
