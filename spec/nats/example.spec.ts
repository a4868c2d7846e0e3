/**
 * `npm run example:nats`: the tutorial across processes (its own server, a collector and two
 * producer processes) prints every user once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { natsServerBinary } from './server.js';

const root = join(__dirname, '..', '..');

it('runs the tutorial across processes and collects the users of both producers', async () => {
  natsServerBinary(); // installs nats-server when missing, as the other NATS specs do
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [require.resolve('tsx/cli'), join('examples', 'nats', 'run.ts')], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain('Users: ["ann","bob","eve","tom"]');
  expect(stdout.match(/received: /g)).toHaveLength(4);
}, 90_000);
