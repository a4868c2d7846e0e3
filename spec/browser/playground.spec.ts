/**
 * The documentation site in a real browser: `npm run docs` builds the API reference (TypeDoc,
 * warnings fail) and the playground; the playground, served on 127.0.0.1, runs the package's ESM
 * build in Debian's Chromium. The test drives the page's own controls and checks what it shows
 * against the channel's promises: never more than `capacity` buffered, waiting sends only under
 * 'wait' and only up to `maxPendingSends`, and every value accounted for at a paused moment.
 *
 * Run by `npm run test:playground` (report: reports/playground.json, screenshot:
 * reports/playground.png). It needs Chromium, installed here when missing (CI runs as root on
 * Debian), so the main jest run skips it unless RXJS_CHANNEL_PLAYGROUND=1.
 */
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const enabled = process.env.RXJS_CHANNEL_PLAYGROUND === '1';
const ROOT = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'reports', 'playground.png');

/** What `window.__playground.stats()` returns (site/playground/main.ts). */
interface Stats {
  state: 'running' | 'pausing' | 'paused';
  run: number;
  attempted: number;
  sent: number;
  delivered: number;
  dropped: number;
  refused: number;
  capacity: number;
  overflow: 'wait' | 'dropOldest' | 'dropNewest';
  maxPendingSends: number;
  producers: number;
  buffered: number;
  free: number;
  pendingSends: number;
  pendingSource: 'library' | 'page';
  maxBufferedSeen: number;
  maxPendingSeen: number;
  samples: number;
  violations: string[];
}

interface Settings {
  capacity?: number;
  overflow?: Stats['overflow'];
  maxPendingSends?: number | '';
  producers?: number;
  producerRate?: number;
  consumerRate?: number;
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  // Same command (and lock) as every other browser step of this repository.
  const install = `test -x ${CHROMIUM} || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)`;
  const [command, args] = existsSync('/usr/bin/flock')
    ? ['/usr/bin/flock', ['/tmp/apt.lock', 'sh', '-c', install]]
    : ['sh', ['-c', install]];
  execFileSync(command, args, { stdio: 'inherit', timeout: 15 * 60_000 });
}

function serve(): Promise<{ server: ChildProcessWithoutNullStreams; url: string }> {
  const server = spawn(process.execPath, ['scripts/docs-serve.mjs'], { cwd: ROOT, env: { ...process.env, PORT: '0' } });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (match) resolve({ server, url: match[0] });
    });
    server.stderr.on('data', (chunk: Buffer) => (out += String(chunk)));
    server.on('exit', (code) => reject(new Error(`docs-serve exited (${code}): ${out}`)));
  });
}

const stats = (page: Page): Promise<Stats> =>
  page.evaluate(() => (window as unknown as { __playground: { stats(): Stats } }).__playground.stats());

/** Until the page has taken `frames` more samples of the channel (one per animation frame). */
async function nextSamples(page: Page, frames: number): Promise<void> {
  const { samples } = await stats(page);
  await page.waitForFunction(
    ([before, n]) => (window as unknown as { __playground: { stats(): Stats } }).__playground.stats().samples >= before + n,
    [samples, frames] as const,
  );
}

/** Waits until `predicate`, an expression over the page's stats `s` (and `arg`), holds. */
function waitFor(page: Page, predicate: string, arg: unknown = null): Promise<unknown> {
  const source = `((arg) => { const s = window.__playground.stats(); return (${predicate}); })(${JSON.stringify(arg)})`;
  return page.waitForFunction(source, undefined, { timeout: 30_000 });
}

/** Sets controls the way a user does; a changed channel setting starts a new channel (a new run). */
async function configure(page: Page, settings: Settings): Promise<void> {
  const before = await stats(page);
  let newRun = false;
  const commit = async (id: 'capacity' | 'maxPendingSends', value: string) => {
    await page.locator(`#${id}`).fill(value);
    await page.locator(`#${id}`).press('Tab'); // leaving the field commits it ('change')
    newRun = true;
  };
  if (settings.capacity !== undefined && settings.capacity !== before.capacity) {
    await commit('capacity', String(settings.capacity));
  }
  const maxPending = settings.maxPendingSends === '' ? Infinity : settings.maxPendingSends;
  if (maxPending !== undefined && maxPending !== before.maxPendingSends) {
    await commit('maxPendingSends', maxPending === Infinity ? '' : String(maxPending));
  }
  if (settings.overflow !== undefined && settings.overflow !== before.overflow) {
    await page.locator('#overflow').selectOption(settings.overflow);
    newRun = true;
  }
  for (const key of ['producers', 'producerRate', 'consumerRate'] as const) {
    if (settings[key] !== undefined) await page.locator(`#${key}`).fill(String(settings[key]));
  }
  if (newRun) await waitFor(page, 's.run > arg', before.run);
  await waitFor(
    page,
    ['capacity', 'overflow', 'producers'].map((key) => `(arg.${key} === undefined || s.${key} === arg.${key})`).join(' && '),
    settings,
  );
  if (maxPending !== undefined) expect((await stats(page)).maxPendingSends).toBe(maxPending);
}

async function pause(page: Page): Promise<Stats> {
  await page.locator('#pause').click();
  await waitFor(page, "s.state === 'paused'");
  return stats(page);
}

async function resume(page: Page): Promise<void> {
  await page.locator('#pause').click();
  await waitFor(page, "s.state === 'running'");
}

/** Reads the page's counters many times while it runs, checking the bounds at each reading. */
async function sampleBounds(page: Page, readings: number): Promise<Stats[]> {
  const seen: Stats[] = [];
  for (let i = 0; i < readings; i++) {
    await nextSamples(page, 2);
    const s = await stats(page);
    expect(s.buffered).toBeLessThanOrEqual(s.capacity);
    expect(s.buffered + s.free).toBeLessThanOrEqual(s.capacity);
    expect(s.pendingSends).toBeLessThanOrEqual(s.maxPendingSends);
    if (s.overflow !== 'wait') expect(s.pendingSends).toBe(0);
    seen.push(s);
  }
  return seen;
}

/** At a paused moment every value is accounted for, and the page shows the same numbers. */
async function expectBalanced(page: Page, s: Stats): Promise<void> {
  expect(s.sent).toBe(s.delivered + s.dropped + s.buffered);
  expect(s.attempted).toBe(s.sent + s.refused + s.pendingSends);
  expect(s.violations).toEqual([]);
  const shown = async (stat: string) => Number(await page.locator(`[data-stat="${stat}"]`).textContent());
  expect(await shown('sent')).toBe(s.sent);
  expect(await shown('delivered')).toBe(s.delivered);
  expect(await shown('dropped')).toBe(s.dropped);
  expect(await shown('buffered')).toBe(s.buffered);
  expect(await shown('pendingSends')).toBe(s.pendingSends);
  expect(await page.locator('[data-stat="balance"]').textContent()).toContain('✓');
  // The drawing agrees with the library: one filled slot per buffered value, one slot per unit
  // of capacity, one blocked producer per waiting send.
  expect(await page.locator('#slots .slot').count()).toBe(s.capacity);
  expect(await page.locator('#slots .slot[data-filled="true"]').count()).toBe(s.buffered);
  expect(await page.locator('.producer[data-blocked="true"]').count()).toBe(s.pendingSends);
}

(enabled ? describe : describe.skip)('documentation site and playground (Chromium)', () => {
  jest.setTimeout(90_000);
  let build: { status: number | null; output: string };
  let server: ChildProcessWithoutNullStreams | undefined;
  let url: string;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureChromium();
    const result = spawnSync(process.execPath, ['scripts/docs.mjs'], { cwd: ROOT, encoding: 'utf8' });
    build = { status: result.status, output: `${result.stdout}${result.stderr}` };
    if (!existsSync(join(ROOT, 'site-dist', 'playground', 'playground.js'))) {
      throw new Error(`npm run docs built no playground (exit ${result.status}):\n${build.output.slice(-4000)}`);
    }
    ({ server, url } = await serve());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        problems.push(`console.${message.type()} at ${message.location().url || page.url()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      // A navigation cancels what the previous page was still loading (its favicon, say).
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('builds the API reference with TypeDoc without a single warning', () => {
    expect({ status: build.status, output: build.output.includes('[warning]') ? build.output : '' }).toEqual({ status: 0, output: '' });
    for (const file of ['api/index.html', 'api/modules/rxjs-channel.mpsc.html', 'api/functions/rxjs-channel.mpsc.channel.html', 'api/interfaces/rxjs-channel.mpsc.Sender.html']) {
      expect(existsSync(join(ROOT, 'site-dist', file))).toBe(true);
    }
  });

  it('builds a playground that uses only the public API (it typechecks against lib/index.ts)', () => {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'site/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
    expect(existsSync(join(ROOT, 'site-dist', 'playground', 'playground.js'))).toBe(true);
  }, 180_000);

  it('serves the landing page, the reference and the playground on 127.0.0.1', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    await page.goto(url);
    expect(await page.locator('a[href="api/index.html"]').count()).toBe(1);
    await page.goto(`${url}api/functions/rxjs-channel.mpsc.channel.html`);
    expect(await page.locator('body').textContent()).toContain('Creates a bounded multi-producer, single-consumer channel');
    // The reference's header links to the playground, and the playground links back.
    await page.locator('#tsd-toolbar-links a', { hasText: 'Playground' }).click();
    await page.waitForURL(`${url}playground/index.html`);
    await page.locator('nav a', { hasText: 'API reference' }).click();
    await page.waitForURL(`${url}api/index.html`);
  });

  it('loads the playground, which starts a channel at once', async () => {
    await page.goto(`${url}playground/index.html`);
    await waitFor(page, "s.state === 'running' && s.samples > 0 && s.sent > 0");
  });

  it("fills the buffer and makes producers wait under 'wait', drawing the waiting sends", async () => {
    await configure(page, { capacity: 8, producers: 4, producerRate: 30, consumerRate: 3 });
    await waitFor(page, 's.buffered === s.capacity && s.pendingSends >= 2');
    const s = await pause(page);
    expect(s.buffered).toBe(8);
    expect(s.free).toBe(0);
    expect(s.pendingSends).toBeGreaterThanOrEqual(2);
    expect(s.pendingSource).toBe('library'); // the count is tx.pendingSends, not the page's guess
    await expectBalanced(page, s);
    expect(await page.locator('#pending .token').count()).toBe(s.pendingSends);
    await resume(page);
  });

  it('never holds more than capacity, however producers and consumer are set', async () => {
    await configure(page, { capacity: 5, producers: 6, producerRate: 60, consumerRate: 12 });
    const seen = await sampleBounds(page, 60);
    expect(Math.max(...seen.map((s) => s.buffered))).toBe(5); // the bound was reached, not just respected
    const s = await stats(page);
    expect(s.maxBufferedSeen).toBe(5);
    expect(s.violations).toEqual([]);
    expect(s.samples).toBeGreaterThanOrEqual(120);
    await configure(page, { producers: 1, producerRate: 2, consumerRate: 60 });
    await waitFor(page, 's.buffered === 0 && s.pendingSends === 0 && s.delivered > arg', s.delivered);
    await expectBalanced(page, await pause(page));
    await resume(page);
  });

  it("'dropOldest' never waits, evicts the oldest and still accounts for every value", async () => {
    await configure(page, { overflow: 'dropOldest', capacity: 4, producers: 5, producerRate: 40, consumerRate: 4 });
    await waitFor(page, 's.dropped >= 20');
    await sampleBounds(page, 30);
    const s = await pause(page);
    expect(s.overflow).toBe('dropOldest');
    expect(s.pendingSends).toBe(0);
    expect(s.maxPendingSeen).toBe(0);
    expect(s.refused).toBe(0);
    await expectBalanced(page, s);
    expect(await page.locator('#dropped-tokens .token').count()).toBeGreaterThan(0);
    await resume(page);
  });

  it("'dropNewest' never waits, discards the newcomer and still accounts for every value", async () => {
    await configure(page, { overflow: 'dropNewest', capacity: 3 });
    await waitFor(page, 's.dropped >= 20 && s.delivered >= 3');
    await sampleBounds(page, 30);
    const s = await pause(page);
    expect(s.overflow).toBe('dropNewest');
    expect(s.maxPendingSeen).toBe(0);
    await expectBalanced(page, s);
    await resume(page);
  });

  it('refuses sends beyond maxPendingSends with ChannelOverflowError', async () => {
    await configure(page, { overflow: 'wait', maxPendingSends: 2, capacity: 2, producers: 6, producerRate: 30, consumerRate: 2 });
    await waitFor(page, 's.refused >= 5 && s.pendingSends === 2');
    const seen = await sampleBounds(page, 30);
    expect(Math.max(...seen.map((s) => s.pendingSends))).toBe(2);
    const s = await pause(page);
    expect(s.maxPendingSends).toBe(2);
    expect(s.maxPendingSeen).toBe(2);
    await expectBalanced(page, s);
    await resume(page);
  });

  it('keeps a screenshot of a busy channel (reports/playground.png)', async () => {
    await configure(page, { overflow: 'wait', maxPendingSends: '', capacity: 12, producers: 5, producerRate: 20, consumerRate: 6 });
    await waitFor(page, 's.buffered === s.capacity && s.pendingSends >= 3 && s.delivered >= 6');
    const s = await pause(page);
    await expectBalanced(page, s);
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await resume(page);
  });

  it('logs no console error, page error or failed request', () => {
    expect(problems).toEqual([]);
  });
});
