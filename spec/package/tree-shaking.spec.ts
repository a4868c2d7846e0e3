/**
 * Bundles the built ESM entry the way an application bundler would, and checks that
 * `import { mpsc } from 'rxjs-channel'` pulls in neither the RxJS operators of this package nor
 * any CommonJS wrapper. `npm test` builds before jest; run alone, this spec builds dist/ if it
 * is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';

const root = resolve(__dirname, '../..');
const entry = join(root, 'dist/esm/index.js');

interface Bundle {
  text: string;
  inputs: string[];
}

async function bundle(importLine: string, use: string, external: string[] = ['rxjs']): Promise<Bundle> {
  const result = await build({
    stdin: { contents: `${importLine}\nexport const used = ${use};\n`, resolveDir: root, sourcefile: 'app.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    treeShaking: true,
    minify: false,
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  });
  // `metafile.inputs` lists every file esbuild read; what the bundle kept is in the output's
  // inputs with a non-zero byte count.
  const [output] = Object.values((result.metafile as Metafile).outputs);
  const inputs = Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([path]) => path);
  return { text: result.outputFiles[0].text, inputs };
}

beforeAll(() => {
  if (!existsSync(entry)) {
    try {
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`dist/esm/index.js is missing and \`npm run build\` failed: ${String(error)}`);
    }
  }
}, 120_000);

describe('tree-shaking the ESM build', () => {
  it('keeps the operators out of a bundle that imports only mpsc', async () => {
    const { text, inputs } = await bundle("import { mpsc } from './dist/esm/index.js';", 'mpsc.channel(1)');
    expect(inputs).toContain('dist/esm/mpsc/channel.js');
    expect(inputs.filter((path) => path.startsWith('dist/esm/operators/'))).toEqual([]);
    // Names may appear in doc comments esbuild keeps; their definitions must not.
    for (const definition of ['function toChannel(', 'function mergeMapBounded(', 'function backpressure(', 'Backpressured = class']) {
      expect(text).not.toContain(definition);
    }
  });

  it('pulls in no CommonJS wrapper and no require()', async () => {
    const { text, inputs } = await bundle("import { mpsc } from './dist/esm/index.js';", 'mpsc.channel(1)');
    expect(text).not.toContain('__commonJS');
    expect(text).not.toContain('require(');
    expect(inputs.filter((path) => path.includes('dist/cjs/'))).toEqual([]);
    expect(text).toMatch(/from "rxjs"/); // rxjs stays external, imported as ESM
  });

  it('does include an operator that is imported (so the checks above can fail)', async () => {
    const { text, inputs } = await bundle(
      "import { toChannel } from './dist/esm/index.js';",
      'toChannel',
    );
    if (!inputs.includes('dist/esm/operators/to-channel.js')) {
      throw new Error('dist/ predates the operators: run `npm run build` and try again');
    }
    expect(text).toContain('function toChannel(');
    expect(inputs).not.toContain('dist/esm/operators/merge-map-bounded.js');
  });

  it('never imports @nats-io/* from the root entry, even when everything is used', async () => {
    const { text, inputs } = await bundle("import * as all from './dist/esm/index.js';", 'all', ['rxjs', '@nats-io/*']);
    expect(inputs.filter((path) => path.includes('@nats-io') || path.startsWith('dist/esm/nats/'))).toEqual([]);
    expect(text).not.toContain('@nats-io/');
  });

  it('never pulls rxjs-channel/testing into the root entry, even when everything is used', async () => {
    const { text, inputs } = await bundle("import * as all from './dist/esm/index.js';", 'all');
    expect(inputs.filter((path) => path.startsWith('dist/esm/testing/'))).toEqual([]);
    expect(text).not.toContain('function explore(');
    expect(text).not.toContain('function collect(');
  });

  it('does bundle rxjs-channel/testing when it is imported (so the check above can fail)', async () => {
    if (!existsSync(join(root, 'dist/esm/testing/index.js'))) {
      throw new Error('dist/ predates rxjs-channel/testing: run `npm run build` and try again');
    }
    const { text, inputs } = await bundle("import { explore } from './dist/esm/testing/index.js';", 'explore');
    expect(inputs).toContain('dist/esm/testing/explore.js');
    expect(text).toContain('function explore(');
  });

  it('does import @nats-io/* from rxjs-channel/nats (so the check above can fail)', async () => {
    if (!existsSync(join(root, 'dist/esm/nats/index.js'))) {
      throw new Error('dist/ predates rxjs-channel/nats: run `npm run build` and try again');
    }
    const { text } = await bundle("import { jetstream } from './dist/esm/nats/index.js';", 'jetstream', ['rxjs', '@nats-io/*']);
    expect(text).toMatch(/from "@nats-io\/jetstream"/);
  });
});
