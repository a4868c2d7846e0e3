/* global window */
// Runs the bundled contract specs (spec/runtimes/bundle.mjs) in headless Chromium against the
// packed package's ESM build. A static server on 127.0.0.1 (random port) serves the bundles
// and the scratch install's node_modules; an import map resolves 'rxjs', 'rxjs/testing' and
// 'rxjs-channel' the way a bundler-free app would. Each spec file gets a fresh page (a fresh
// module map, as each file gets a fresh module registry under jest); the pages share one
// browser context, so its HTTP cache spares re-reading rxjs's few hundred module files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Launch options from TOOLING-NOTES.md; the networking flags keep Chromium off the network. */
export const launchOptions = {
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** rxjs's ESM entry points, and every subpath the installed package exports for `import`. */
function importMap(nodeModules) {
  const imports = {
    rxjs: '/node_modules/rxjs/dist/esm/index.js',
    'rxjs/testing': '/node_modules/rxjs/dist/esm/testing/index.js',
    'rxjs/operators': '/node_modules/rxjs/dist/esm/operators/index.js',
    tslib: '/node_modules/tslib/tslib.es6.mjs',
  };
  const { exports } = JSON.parse(readFileSync(join(nodeModules, 'rxjs-channel/package.json'), 'utf8'));
  for (const [subpath, target] of Object.entries(exports)) {
    const file = target?.import?.default ?? (typeof target?.import === 'string' ? target.import : undefined);
    if (subpath.includes('*') || !file) continue;
    imports[`rxjs-channel${subpath.slice(1)}`] = `/node_modules/rxjs-channel/${file.replace(/^\.\//, '')}`;
  }
  return { imports };
}

const page = (map) => `<!doctype html>
<meta charset="utf-8">
<title>rxjs-channel contract specs</title>
<script type="importmap">${JSON.stringify(map)}</script>
<script type="module">
  const spec = new URLSearchParams(location.search).get('spec');
  try {
    await import('/specs/' + spec);
    window.__result = await globalThis.__runtimeSpecs.run();
  } catch (error) {
    window.__result = { suiteError: String(error && error.stack || error) };
  }
</script>
`;

const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };

/** Serves `/` (the page), `/specs/*` from bundleDir and `/node_modules/*` from the install. */
function serve(bundleDir, nodeModules) {
  const html = page(importMap(nodeModules));
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      return void res.end(html);
    }
    let base;
    let rest;
    if (url.pathname.startsWith('/specs/')) [base, rest] = [bundleDir, url.pathname.slice(7)];
    else if (url.pathname.startsWith('/node_modules/')) [base, rest] = [nodeModules, url.pathname.slice(14)];
    else return void res.writeHead(404).end();
    let file = normalize(join(base, decodeURIComponent(rest)));
    if (!file.startsWith(base + sep)) return void res.writeHead(403).end();
    // rxjs's ESM build imports './internal/Observable' without an extension, as bundlers allow.
    if (!existsSync(file) || statSync(file).isDirectory()) {
      if (existsSync(`${file}.js`)) file = `${file}.js`;
      else if (existsSync(join(file, 'index.js'))) file = join(file, 'index.js');
      else return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'text/javascript', 'cache-control': 'max-age=3600, immutable' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Runs every bundled spec file in Chromium. Returns one jest-shaped result per file:
 * `{ name, assertionResults, suiteError?, duration }`.
 */
export async function runChromium({ bundleDir, consumer, files, concurrency = 2, fileTimeout = 120_000 }) {
  const server = await serve(bundleDir, join(consumer, 'node_modules'));
  const { port } = server.address();
  const browser = await chromium.launch(launchOptions);
  const version = browser.version();
  const context = await browser.newContext();
  const results = [];
  try {
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const bundle = file.replace(/\.ts$/, '.js');
        const tab = await context.newPage();
        const pageErrors = [];
        tab.on('pageerror', (error) => pageErrors.push(String(error.stack || error)));
        tab.on('console', (msg) => {
          if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`);
        });
        const started = Date.now();
        let result;
        try {
          await tab.goto(`http://127.0.0.1:${port}/?spec=${encodeURIComponent(bundle)}`);
          await tab.waitForFunction(() => window.__result !== undefined, undefined, { timeout: fileTimeout, polling: 100 });
          result = await tab.evaluate(() => window.__result);
        } catch (error) {
          result = { suiteError: `${String(error.message || error)}\n${pageErrors.join('\n')}` };
        } finally {
          await tab.close();
        }
        results.push({ name: file, assertionResults: result.assertionResults ?? [], suiteError: result.suiteError, duration: Date.now() - started });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await browser.close();
    server.close();
  }
  results.sort((a, b) => a.name.localeCompare(b.name));
  return { version, results };
}
