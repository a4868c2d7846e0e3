// Installs the packed tarball into a scratch project, as a user would (`npm install
// rxjs-channel rxjs`), then checks it from there:
//   1. require() and import() load it and a round trip works; ./internal/* is blocked;
//   2. its .d.ts compile in consumer projects (CJS and ESM resolution) with and without
//      `esnext.disposable` in `lib`, skipLibCheck off;
//   3. the package specs (spec/package/: shipped type tests, cross-build identity, source maps,
//      no internals) run against that copy (reports/packed-consumer.json);
//   4. the whole contract suite (spec/) runs again with 'rxjs-channel' resolved to that copy
//      (reports/packed.json).
// A failing jest step fails the script once the later steps have run too.
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packAndInstall } from './install-packed.mjs';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });
const step = (title) => console.log(`\n[test:packed] ${title}`);
const failed = [];
/** Runs a step that may fail without stopping the ones after it. */
const attempt = (title, fn) => {
  try {
    fn();
  } catch (error) {
    failed.push(title);
    console.error(`[test:packed] FAILED: ${title}: ${error.message ?? error}`);
  }
};

const consumer = packAndInstall(root, step);

step('require() and import() from the consumer');
const smoke = `
  const { mpsc, SendError, ChannelError } = lib;
  const [tx, rx] = mpsc.channel(2);
  await tx.send(1); tx.drop();
  if (await rx.recv() !== 1 || await rx.recv() !== undefined) throw new Error('round trip failed');
  if (!(new SendError(1) instanceof ChannelError)) throw new Error('error classes broken');
`;
run('node', ['-e', `(async () => { const lib = require('rxjs-channel'); ${smoke} console.log('require: ok'); })().catch((e) => { console.error(e); process.exit(1); })`], { cwd: consumer });
run('node', ['--input-type=module', '-e', `const lib = await import('rxjs-channel'); ${smoke} console.log('import: ok');`], { cwd: consumer });
for (const blocked of ['rxjs-channel/internal/chan.js', 'rxjs-channel/dist/cjs/internal/chan.js']) {
  try {
    execFileSync('node', ['-e', `require(${JSON.stringify(blocked)})`], { cwd: consumer, stdio: 'pipe' });
    throw new Error(`${blocked} should not be importable`);
  } catch (error) {
    if (!String(error.stderr).includes('ERR_PACKAGE_PATH_NOT_EXPORTED')) throw error;
  }
}
console.log('internals blocked: ok');

step('type-check consumer code against the shipped .d.ts');
const consumerCode = (importLine) => `${importLine}
import { Observable, lastValueFrom, toArray } from 'rxjs';
async function produce(tx: mpsc.Sender<number>): Promise<void> {
  using sender = tx;
  await sender.send(1);
}
export async function main(): Promise<number[]> {
  const [tx, rx] = mpsc.channel<number>(4);
  const asObservable: Observable<number> = rx;
  const asIterable: AsyncIterable<number> = rx;
  void asIterable;
  const permit: mpsc.Permit<number> | undefined = tx.tryReserve();
  permit?.release();
  const weak: mpsc.WeakSender<number> = tx.downgrade();
  weak.drop();
  const error: SendError<number> = new SendError(1);
  const ok: boolean = error instanceof ChannelError && !(error instanceof SenderDroppedError) && !(error instanceof ReceiverBusyError);
  void ok;
  void produce(tx);
  return lastValueFrom(asObservable.pipe(toArray()));
}
`;
writeFileSync(join(consumer, 'cjs.cts'), consumerCode(`import { mpsc, ChannelError, SendError, SenderDroppedError, ReceiverBusyError } from 'rxjs-channel';`));
writeFileSync(join(consumer, 'esm.mts'), consumerCode(`import { mpsc, ChannelError, SendError, SenderDroppedError, ReceiverBusyError } from 'rxjs-channel';`));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
for (const lib of [['es2022', 'dom'], ['es2022', 'dom', 'esnext.disposable']]) {
  const tsconfig = {
    compilerOptions: { target: 'es2022', lib, module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
    files: ['cjs.cts', 'esm.mts'],
  };
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  run('node', [tsc, '-p', 'tsconfig.json'], { cwd: consumer });
  console.log(`types with lib ${lib.join(',')}: ok`);
}

step('package specs against the installed package (shipped types, cross-build, source maps, internals)');
// The shipped type tests (spec/types/shipped/) use expect-type, a user's dev dependency.
symlinkSync(join(root, 'node_modules/expect-type'), join(consumer, 'node_modules/expect-type'), 'dir');
attempt('package specs', () =>
  run('npx', ['jest', '--json', `--outputFile=${join(root, 'reports/packed-consumer.json')}`, 'spec/package/(shipped-types|cross-build|source-maps|internals)\\.spec\\.ts$'], {
    cwd: root,
    env: { ...process.env, RXJS_CHANNEL_CONSUMER: consumer },
  }),
);

step('contract specs against the installed package');
try {
  attempt('contract specs', () =>
    run('npx', ['jest', '--json', `--outputFile=${join(root, 'reports/packed.json')}`], {
      cwd: root,
      env: { ...process.env, RXJS_CHANNEL_PACKED: consumer },
    }),
  );
} finally {
  rmSync(consumer, { recursive: true, force: true });
}
if (failed.length > 0) {
  console.error(`\n[test:packed] failed: ${failed.join(', ')}`);
  process.exit(1);
}
