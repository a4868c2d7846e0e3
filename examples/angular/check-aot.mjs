// The ahead-of-time build of the example, checked. From a clean dist/, it runs
// `ngc -p examples/angular/tsconfig.app.json` (full AOT compilation with strict template type
// checking) and checks that:
// 1. ngc emitted fully compiled Angular definitions (ɵcmp / ɵɵdefineComponent), with the
//    template turned into instructions, including the async pipe;
// 2. the AOT output bundles (esbuild, ngJitMode = false) without @angular/compiler, into
//    dist/main.js, the script index.html loads. Angular's own packages ship partially compiled
//    (ɵɵngDeclare*), so, as the Angular CLI does, the Angular linker (a Babel plugin from
//    @angular/compiler-cli, which depends on @babel/core) finishes them at bundle time;
// 3. that bundle, run in jsdom, renders the component; a click on "Produce 5 ticks" shows the
//    ticks in the toSignal view and in the async-pipe view; paused, the producer waits.
// Any failed check exits non-zero.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import angularLinker from '@angular/compiler-cli/linker/babel';
import { build } from 'esbuild';
import { JSDOM, VirtualConsole } from 'jsdom';

const here = dirname(fileURLToPath(import.meta.url));
const aot = join(here, 'dist/aot');

// 0. Compile from scratch, so no file left by an earlier run can pass for this one's output.
await rm(join(here, 'dist'), { recursive: true, force: true });
const compilerCli = createRequire(import.meta.url).resolve('@angular/compiler-cli/package.json');
const ngc = join(dirname(compilerCli), 'bundles/src/bin/ngc.js');
// The linker runs under Babel: take the @babel/core that @angular/compiler-cli itself depends on.
const { transformAsync } = createRequire(compilerCli)('@babel/core');
try {
  execFileSync(process.execPath, [ngc, '-p', join(here, 'tsconfig.app.json')], { stdio: 'inherit' });
} catch (error) {
  console.error('check-aot: ngc failed (its diagnostics are above)');
  process.exit(error.status || 1);
}
const emitted = (path) => readFile(join(aot, path), 'utf8');

// 1. What ngc emitted.
const component = await emitted('examples/angular/src/app/channel-demo.component.js');
assert.match(component, /static \{ this\.ɵcmp = .*ɵɵdefineComponent\(\{ type: ChannelDemoComponent/, 'ChannelDemoComponent.ɵcmp');
assert.match(component, /function ChannelDemoComponent_Template\(rf, ctx\)/, 'compiled template function');
assert.match(component, /ɵɵpipe\(\d+, "async"\)/, 'async pipe instruction');
assert.match(component, /ɵɵProvidersFeature\(\[TickProducer\]\)/, 'component-level provider');
assert.doesNotMatch(component, /ɵɵngDeclareComponent|__decorate\(/, 'full compilation (not partial), no decorator call left');
const producer = await emitted('examples/angular/src/app/tick-producer.js');
assert.match(producer, /static \{ this\.ɵprov = .*ɵɵdefineInjectable\(\{ token: TickProducer/, 'TickProducer.ɵprov');

// 2. Bundle the AOT output the way a production build does: no JIT compiler.
const rxjsChannel = join(aot, 'lib/index.js');
const { metafile } = await build({
  entryPoints: [join(aot, 'examples/angular/src/main.js')],
  outfile: join(here, 'dist/main.js'),
  bundle: true,
  format: 'iife',
  globalName: 'demo',
  platform: 'browser',
  target: 'es2022',
  define: { ngJitMode: 'false' },
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'rxjs-channel-from-source',
      setup: (b) => b.onResolve({ filter: /^rxjs-channel$/ }, () => ({ path: rxjsChannel })),
    },
    {
      name: 'angular-linker',
      setup: (b) => b.onLoad({ filter: /[\\/]node_modules[\\/]@angular[\\/].*\.m?js$/ }, async ({ path }) => {
        const code = await readFile(path, 'utf8');
        if (!code.includes('ɵɵngDeclare')) return { contents: code, loader: 'js' };
        const linked = await transformAsync(code, {
          filename: path,
          plugins: [angularLinker],
          babelrc: false,
          configFile: false,
          compact: false,
          sourceMaps: false,
        });
        return { contents: linked.code, loader: 'js' };
      }),
    },
  ],
});
const inputs = Object.keys(metafile.inputs);
assert.ok(!inputs.some((path) => path.includes('@angular/compiler')), 'the bundle needs no @angular/compiler');
assert.ok(inputs.some((path) => path.endsWith('lib/mpsc/channel.js')), 'the bundle includes rxjs-channel');

// 3. Run it in jsdom.
const errors = [];
const virtualConsole = new VirtualConsole();
virtualConsole.on('error', (...args) => errors.push(args.join(' ')));
virtualConsole.on('jsdomError', (error) => errors.push(String(error.stack ?? error)));
const dom = new JSDOM('<!doctype html><body><app-channel-demo></app-channel-demo></body>', {
  runScripts: 'outside-only',
  pretendToBeVisual: true,
  virtualConsole,
});
const { window } = dom;
// (The bundle's top-level `var demo` stays local to an eval; hand it out explicitly.)
window.eval(`${await readFile(join(here, 'dist/main.js'), 'utf8')}\nwindow.demo = demo;`);
const appRef = await window.demo.app;
// Lets the producer's `await tx.send` chain run (microtasks all run before the next turn), then
// waits for Angular to render: no time has to pass.
const settle = async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await appRef.whenStable();
};
const $ = (selector) => window.document.querySelector(selector);
const ticks = (view) => Array.from(window.document.querySelectorAll(`.${view} li`), (li) => li.textContent.trim());

await settle();
assert.equal($('h1')?.textContent, 'mpsc.channel(3)', 'the AOT-compiled component rendered');
$('.produce').click();
await settle();
assert.deepEqual(ticks('signal-view'), ['1', '2', '3', '4', '5'], 'toSignal view');
assert.deepEqual(ticks('async-view'), ['1', '2', '3', '4', '5'], 'async-pipe view');
// Paused, the view stops draining: the channel fills (capacity 3) and the next send waits.
$('.toggle').click();
await settle();
$('.produce').click();
await settle();
assert.equal($('.status').textContent.replace(/\s+/g, ' ').trim(), 'sent 8 · waiting sends 1 · paused', 'backpressure');
assert.deepEqual(ticks('async-view'), ['1', '2', '3', '4', '5'], 'a paused view takes nothing');
$('.toggle').click();
await settle();
assert.deepEqual(ticks('signal-view'), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], 'resumed toSignal view');
assert.deepEqual(ticks('async-view'), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], 'resumed async-pipe view');
appRef.destroy();
window.close();
assert.deepEqual(errors, [], 'no errors logged in the page');

console.log('check-aot: ngc output is fully compiled; the AOT bundle (no @angular/compiler) renders both views and backpressure in jsdom');
