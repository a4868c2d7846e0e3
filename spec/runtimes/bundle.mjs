// Bundles the contract specs (the files test:packed runs) for runtimes other than Node's jest:
// one ES module per spec file, with spec/runtimes/jest-shim.mjs injected for jest's globals.
// 'rxjs', 'rxjs/testing' and 'rxjs-channel' stay external, so each runtime loads the packed
// package (and the one rxjs the library itself sees) through its own module resolution.
//
// Files that are Node by nature are left out (they measure Node's heap in a child process).
// Inside the remaining files, Node-only helpers are stand-ins that throw NodeOnlyError, and the
// shim reports a test that reaches one as skipped, with the reason, never as passed.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Directories and files the packed-suite run also skips (see jest.config.js). */
const notContract = ['spec/internal/', 'spec/package/', 'spec/docs/', 'spec/examples/', 'spec/runtimes/'];
/**
 * Contract specs that need Node itself: child processes with --expose-gc (heap, release),
 * a nats-server child process (nats), a Chromium driven from Node (browser), and those below.
 * Keep this list in step with new spec folders: a Node-only file that slips through shows up
 * as a failing suite outside Node, never as a silent pass.
 */
export const nodeOnly = [
  'spec/heap/', 'spec/broadcast/release.spec.ts', 'spec/nats/', 'spec/browser/',
  // worker_threads and child processes running esbuild-built fixtures; and refusing a wrong
  // port synchronously needs receiveMessageOnPort, which a browser lacks (docs/07-threads.md)
  'spec/threads/',
  // the TypeScript compiler over the repo's files; `node --test`
  'spec/testing/tsdoc.spec.ts', 'spec/testing/node-test.spec.ts',
];

export function contractSpecFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.spec.ts')) out.push(relative(root, path));
    }
  };
  walk(join(root, 'spec'));
  return out.filter((f) => !notContract.some((d) => f.startsWith(d)) && !nodeOnly.some((d) => f.startsWith(d)));
}

// Stand-ins for Node-only modules: every export of the real module (so any import
// resolves) is a function that throws NodeOnlyError when called.
const stubExports = { childProcess: ['runChild', 'libraryEntry'] };
const exportsOf = async (name) => stubExports[name] ?? Object.keys(await import(name)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
export const builtinFilter = new RegExp(`^(node:)?(${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);
export const harnessStubs = {
  'node:util/types': `{ isNativeError: (e) => e instanceof Error || Object.prototype.toString.call(e) === '[object Error]',
    isPromise: (p) => p instanceof Promise, isRegExp: (r) => r instanceof RegExp, isDate: (d) => d instanceof Date,
    isMap: (m) => m instanceof Map, isSet: (s) => s instanceof Set }`,
  'supports-color': `{ stdout: false, stderr: false }`,
  // enough posix path for jest-message-util's stack trimming
  'node:path': `(() => {
    const norm = (p) => { const out = []; for (const s of p.split('/')) { if (s === '..') out.pop(); else if (s && s !== '.') out.push(s); } return '/' + out.join('/'); };
    const resolve = (...ps) => norm(ps.reduce((acc, p) => (String(p).startsWith('/') ? String(p) : acc + '/' + p), '/'));
    const path = { sep: '/', delimiter: ':', resolve, join: (...ps) => norm(ps.join('/')), normalize: norm,
      isAbsolute: (p) => String(p).startsWith('/'), dirname: (p) => norm(String(p) + '/..'),
      basename: (p, ext) => { const b = String(p).split('/').filter(Boolean).pop() ?? ''; return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b; },
      extname: (p) => { const b = String(p).split('/').pop() ?? ''; const i = b.lastIndexOf('.'); return i > 0 ? b.slice(i) : ''; },
      relative: (from, to) => { const f = resolve(from).split('/').filter(Boolean), t = resolve(to).split('/').filter(Boolean);
        let i = 0; while (i < f.length && f[i] === t[i]) i++; return [...f.slice(i).map(() => '..'), ...t.slice(i)].join('/'); } };
    return Object.assign(path, { posix: path });
  })()`,
  'node:util': `{ inspect: (v) => String(v), format: (...a) => a.join(' ') }`,
  'node:os': `{ EOL: '\\n', platform: () => 'browser', release: () => '' }`,
  'node:tty': `{ isatty: () => false }`,
  'node:module': `{ builtinModules: [] }`,
  'node:process': `{ env: {}, platform: 'browser', argv: [], versions: {}, cwd: () => '/' }`,
};
const stubSource = (names, what) =>
  `const fail = (name) => () => { const e = new Error(${JSON.stringify(what)} + '.' + name + ' needs Node'); e.name = 'NodeOnlyError'; throw e; };\n` +
  names.map((n) => `export const ${n} = fail(${JSON.stringify(n)});`).join('\n') +
  '\nexport default {};\n';

/**
 * Builds every contract spec into `outDir` (`<outDir>/<spec path>.js`). `target` is
 * 'browser' (every Node module is a stand-in) or 'server' (Deno, Bun: node:* builtins stay
 * real, only the child-process helpers are stand-ins). Returns the list of spec files built.
 */
export async function bundleSpecs(outDir, target) {
  const files = contractSpecFiles();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const nodeStubs = {
    name: 'node-only-stubs',
    setup(b) {
      b.onResolve({ filter: /heap\/child-process(\.js)?$/ }, () => ({ path: 'childProcess', namespace: 'node-only' }));
      // chalk's colour detection reads the terminal, jest-message-util's code frames read
      // files: the page has neither, and neither changes what a matcher decides.
      b.onResolve({ filter: /^(supports-color|graceful-fs)$/ }, (args) => ({ path: args.path, namespace: 'harness-stub' }));
      b.onResolve({ filter: builtinFilter }, (args) => {
        const name = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
        // The harness's own dependencies (expect, jest-mock, fake timers) touch Node only on
        // paths the specs never take (colour detection, code frames): inert stand-ins.
        if (args.importer.includes('/node_modules/')) return { path: name, namespace: 'harness-stub' };
        if (target === 'server' && name !== 'node:child_process') return { path: name, external: true };
        return { path: name, namespace: 'node-only' };
      });
      b.onLoad({ filter: /.*/, namespace: 'node-only' }, async (args) => ({
        contents: stubSource(await exportsOf(args.path), args.path),
        loader: 'js',
      }));
      b.onLoad({ filter: /.*/, namespace: 'harness-stub' }, (args) => ({
        contents: `module.exports = ${harnessStubs[args.path] ?? '{}'};`,
        loader: 'js',
      }));
    },
  };
  await build({
    absWorkingDir: root,
    entryPoints: files.map((f) => ({ in: f, out: f.replace(/\.ts$/, '') })),
    outdir: outDir,
    outbase: '.',
    bundle: true,
    format: 'esm',
    platform: target === 'browser' ? 'browser' : 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['import', 'default'],
    target: 'es2022',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    inject: [join(root, 'spec/runtimes/process-shim.mjs'), join(root, 'spec/runtimes/jest-shim.mjs')],
    external: ['rxjs', 'rxjs/*', 'rxjs-channel', 'rxjs-channel/*'],
    define: { 'process.env.NODE_ENV': '"test"', global: 'globalThis', __dirname: '"/"', __filename: '"/index.js"' },
    tsconfigRaw: { compilerOptions: { target: 'es2022', useDefineForClassFields: true } },
    plugins: [nodeStubs],
  });
  return files;
}
