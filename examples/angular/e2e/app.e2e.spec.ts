// The built Angular 22 app (dist/browser, from `ng build`), rendered in headless Chromium and
// driven like a person would: click, then read what the page shows. After every action the test
// lets the page settle (see `settle`), so it reads the page once Angular has rendered the
// outcome: no sleeps, no polling for a hoped-for state.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const app = join(__dirname, '../dist/browser');
const reports = join(__dirname, '../../../reports');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** Serves the built app on 127.0.0.1, on a port the system picks. */
async function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(app, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let server: Server;
let origin: string;
let browser: Browser;
let page: Page;
/** Every console error and uncaught page error of the current test's page. */
let errors: string[];

beforeAll(async () => {
  ({ server, origin } = await serve());
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  errors = [];
  page = await browser.newPage({ viewport: { width: 1180, height: 560 } });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error.stack ?? error)));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(origin);
  await page.waitForFunction(() => 'appRef' in globalThis);
  await settle();
});

afterEach(async () => {
  await page.close();
  expect(errors).toEqual([]);
});

/**
 * Lets the page settle: a zero-delay turn runs every queued microtask (the producer's chain of
 * `await tx.send`, the receiver's hand-offs), then `appRef.tick()` renders what changed; repeated
 * until a round changes nothing in the page. (`appRef.whenStable()` would not do: a streaming
 * resource counts as a pending task until its first value, so the app is not "stable" while the
 * rxResource view waits for its first tick.)
 */
async function settle(): Promise<void> {
  const rounds = await page.evaluate(async () => {
    const { appRef } = globalThis as unknown as { appRef: { tick(): void } };
    for (let round = 1; round <= 10; round++) {
      const before = document.body.innerHTML;
      await new Promise((resolve) => setTimeout(resolve, 0));
      appRef.tick();
      if (document.body.innerHTML === before) return round;
    }
    return Infinity;
  });
  if (rounds === Infinity) throw new Error('the page kept changing for 10 rounds');
}

type Lane = 'signal' | 'resource';

async function click(lane: Lane, button: string): Promise<void> {
  await page.click(`.${lane}-lane .${button}`);
  await settle();
}

const textOf = async (selector: string): Promise<string> => (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

/** What a lane shows: the producer's counts, its state line and class, the view's status and ticks. */
async function lane(name: Lane) {
  const root = `.${name}-lane`;
  const hasView = (await page.locator(`${root} .ticks`).count()) > 0;
  return {
    producer: await textOf(`${root} .producer-status`),
    state: await textOf(`${root} .producer-state`),
    producerClass: (await page.locator(`${root} app-producer-panel`).getAttribute('class'))?.split(/\s+/).sort().join(' '),
    view: hasView ? await textOf(`${root} .view-status`) : await textOf(`${root} .no-view`),
    ticks: hasView ? await page.locator(`${root} .ticks li`).allInnerTexts() : [],
  };
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const READY = 'Ready: the view keeps up';
const BLOCKED = 'Blocked: the channel is full (3/3); await tx.send() waits for room';
const CLOSED = 'Receiver closed: tx.closed() resolved; sends reject with SendError';

describe('the Angular example in Chromium', () => {
  it('renders both lanes with Angular 22, before any tick is sent', async () => {
    expect(await textOf('h1')).toMatch(/^rxjs-channel · Angular 22\.\d+\.\d+$/);
    expect(await lane('signal')).toEqual({
      producer: 'sent 0 · waiting sends 0 · refused 0',
      state: READY,
      producerClass: 'producer',
      view: 'received 0 · draining',
      ticks: [],
    });
    // A streaming resource is loading until its stream's first value.
    expect(await lane('resource')).toMatchObject({ producer: 'sent 0 · waiting sends 0 · refused 0', view: 'received 0 · resource loading', ticks: [] });
  });

  it('shows every tick sent through toSignal, keeping the latest 10', async () => {
    await click('signal', 'produce');
    expect(await lane('signal')).toMatchObject({ producer: 'sent 5 · waiting sends 0 · refused 0', view: 'received 5 · draining', ticks: range(1, 5) });
    await click('signal', 'produce');
    await click('signal', 'produce');
    expect(await lane('signal')).toMatchObject({ producer: 'sent 15 · waiting sends 0 · refused 0', view: 'received 15 · draining', ticks: range(6, 15) });
    // The other lane has its own channel and producer.
    expect(await lane('resource')).toMatchObject({ producer: 'sent 0 · waiting sends 0 · refused 0', ticks: [] });
  });

  it('shows every tick sent through rxResource, whose status turns resolved with the first tick', async () => {
    await click('resource', 'produce');
    expect(await lane('resource')).toMatchObject({ producer: 'sent 5 · waiting sends 0 · refused 0', view: 'received 5 · resource resolved', ticks: range(1, 5) });
    await click('resource', 'produce');
    await click('resource', 'produce');
    expect(await lane('resource')).toMatchObject({ producer: 'sent 15 · waiting sends 0 · refused 0', view: 'received 15 · resource resolved', ticks: range(6, 15) });
  });

  it('blocks the producer while the paused view leaves the channel full, then drains it with nothing lost', async () => {
    await click('signal', 'produce');
    await click('signal', 'pause');
    expect(await lane('signal')).toMatchObject({ view: 'received 5 · paused', ticks: range(1, 5) });

    await click('signal', 'produce');
    // The channel took 3 ticks (its capacity); the 4th send waits for room, the 5th is not sent yet.
    expect(await lane('signal')).toEqual({
      producer: 'sent 8 · waiting sends 1 · refused 0',
      state: BLOCKED,
      producerClass: 'blocked producer',
      view: 'received 5 · paused',
      ticks: range(1, 5),
    });

    await click('signal', 'pause');
    expect(await lane('signal')).toEqual({
      producer: 'sent 10 · waiting sends 0 · refused 0',
      state: READY,
      producerClass: 'producer',
      view: 'received 10 · draining',
      ticks: range(1, 10),
    });
  });

  it('closes the receiver when the toSignal view is destroyed (DestroyRef): the waiting send rejects with SendError, tx.closed() resolves', async () => {
    await click('signal', 'pause');
    await click('signal', 'produce');
    expect(await lane('signal')).toMatchObject({ producer: 'sent 3 · waiting sends 1 · refused 0', state: BLOCKED });

    await click('signal', 'toggle-view');
    expect(await lane('signal')).toEqual({
      producer: 'sent 3 · waiting sends 0 · refused 1',
      state: CLOSED,
      producerClass: 'closed producer',
      view: 'View destroyed: its receiver is closed.',
      ticks: [],
    });
    // A closed channel refuses at once; nothing waits.
    await click('signal', 'produce');
    expect(await lane('signal')).toMatchObject({ producer: 'sent 3 · waiting sends 0 · refused 2', state: CLOSED });

    // A new view brings a new channel; the producer carries on from the tick that was refused.
    await click('signal', 'toggle-view');
    await click('signal', 'produce');
    expect(await lane('signal')).toMatchObject({ producer: 'sent 5 · waiting sends 0 · refused 0', state: READY, view: 'received 5 · draining', ticks: range(4, 8) });
  });

  it("closes the receiver when the rxResource view is destroyed (the resource's abort signal): sends reject with SendError", async () => {
    await click('resource', 'produce');
    expect(await lane('resource')).toMatchObject({ producer: 'sent 5 · waiting sends 0 · refused 0', ticks: range(1, 5) });

    await click('resource', 'toggle-view');
    expect(await lane('resource')).toEqual({
      producer: 'sent 5 · waiting sends 0 · refused 0',
      state: CLOSED,
      producerClass: 'closed producer',
      view: 'View destroyed: its receiver is closed.',
      ticks: [],
    });
    // Left open, the channel would take 3 more ticks and block; closed, it refuses the first.
    await click('resource', 'produce');
    expect(await lane('resource')).toMatchObject({ producer: 'sent 5 · waiting sends 0 · refused 1', state: CLOSED });

    await click('resource', 'toggle-view');
    expect(await lane('resource')).toMatchObject({ state: READY, view: 'received 0 · resource loading' });
    await click('resource', 'produce');
    expect(await lane('resource')).toMatchObject({ producer: 'sent 5 · waiting sends 0 · refused 0', view: 'received 5 · resource resolved', ticks: range(6, 10) });
  });

  it('shows a blocked producer beside a draining one (screenshot: reports/angular.png)', async () => {
    await click('signal', 'produce');
    await click('signal', 'pause');
    await click('signal', 'produce');
    await click('resource', 'produce');
    await click('resource', 'produce');
    expect(await lane('signal')).toMatchObject({ producer: 'sent 8 · waiting sends 1 · refused 0', state: BLOCKED, ticks: range(1, 5) });
    expect(await lane('resource')).toMatchObject({ producer: 'sent 10 · waiting sends 0 · refused 0', state: READY, ticks: range(1, 10) });
    mkdirSync(reports, { recursive: true });
    await page.screenshot({ path: join(reports, 'angular.png'), fullPage: true });
  });
});
