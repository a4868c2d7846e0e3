/**
 * `rxjs-channel/nats` from the built package, as users load it: `require` (CommonJS build) and
 * `import` (ESM build) in separate Node processes, each doing a round trip against the server.
 * The build goes to a temporary folder (not dist/), laid out as an installed package.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { uniqueName, useServer } from './helpers.js';

const root = resolve(__dirname, '../..');
const nats = useServer();
let base = '';

function tsc(project: string, outDir: string): void {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--outDir', outDir], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    // Type errors elsewhere in lib/ still emit; only a missing output is fatal here.
    if (!existsSync(join(outDir, 'nats/index.js'))) throw error;
  }
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'rxc-nats-pkg-'));
  const pkg = join(base, 'node_modules/rxjs-channel');
  mkdirSync(pkg, { recursive: true });
  tsc('tsconfig.build.json', join(pkg, 'dist/esm'));
  tsc('tsconfig.cjs.json', join(pkg, 'dist/cjs'));
  writeFileSync(join(pkg, 'dist/cjs/package.json'), '{"type":"commonjs"}\n');
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'node_modules/rxjs'), join(base, 'node_modules/rxjs'));
  symlinkSync(join(root, 'node_modules/@nats-io'), join(base, 'node_modules/@nats-io'));
}, 240_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

const body = `
  const nc = await connect({ servers: process.env.NATS_URL });
  const ch = await jetstream.channel(nc, process.env.NAME, { capacity: 4, heartbeat: 200 });
  const tx = await ch.sender();
  await tx.send({ id: 'bob' });
  await tx.drop();
  const rx = await ch.receiver();
  const got = [];
  for await (const v of rx) got.push(v);
  await nc.close();
  console.log(JSON.stringify({ got, brand: rx[Symbol.for('rxjs-channel.receiver')], remote: typeof RemoteChannelError }));
`;

function run(file: string, code: string): unknown {
  writeFileSync(join(base, file), code);
  const out = execFileSync(process.execPath, [join(base, file)], {
    cwd: base,
    env: { ...process.env, NATS_URL: nats.server.url, NAME: uniqueName('pkg') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

const expected = { got: [{ id: 'bob' }], brand: 'mpsc', remote: 'function' };

it('require("rxjs-channel/nats") loads the CommonJS build and round-trips a value', () => {
  const code = `const { jetstream, RemoteChannelError } = require('rxjs-channel/nats');
const { connect } = require('@nats-io/transport-node');
(async () => {${body}})().catch((e) => { console.error(e); process.exit(1); });`;
  expect(run('use.cjs', code)).toEqual(expected);
  expect(require.resolve('rxjs-channel/nats', { paths: [base] })).toContain('dist/cjs/nats/index.js');
}, 60_000);

it('import "rxjs-channel/nats" loads the ESM build and round-trips a value', () => {
  const code = `import { jetstream, RemoteChannelError } from 'rxjs-channel/nats';
import { connect } from '@nats-io/transport-node';
${body}`;
  expect(run('use.mjs', code)).toEqual(expected);
}, 60_000);
