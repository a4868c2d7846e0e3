// The playground: a real mpsc channel (the package's ESM build, bundled by scripts/docs.mjs)
// driven by async producers and one consumer, drawn every animation frame from the channel's
// own public counters (rx.length, tx.capacity, tx.pendingSends).
//
// The page keeps a mirror of which values are buffered only to colour the slots by producer;
// every number shown comes from the library, or from counting what its calls returned.
import { ChannelOverflowError, SendError, mpsc } from 'rxjs-channel';

type Policy = 'wait' | 'dropOldest' | 'dropNewest';

interface Config {
  capacity: number;
  overflow: Policy;
  maxPendingSends: number;
  producers: number;
  producerRate: number;
  consumerRate: number;
}

interface Token {
  readonly id: number;
  readonly producer: number;
  readonly seq: number;
}

interface Producer {
  readonly id: number;
  active: boolean;
  seq: number;
  sent: number;
  /** The value whose send has not settled yet. */
  sending: Token | null;
  /** performance.now() of the last refusal, for a short highlight. */
  refusedAt: number;
  /** Whether its loop is still going (a parked producer finishes the send it started). */
  running: boolean;
}

interface Counters {
  /** Sends started. */
  attempted: number;
  /** Sends that resolved: the channel took the value (under 'dropNewest' possibly to discard it). */
  sent: number;
  /** Values the consumer's recv() returned. */
  delivered: number;
  /** Values the overflow policy discarded (onDrop calls). */
  dropped: number;
  /** Sends rejected with ChannelOverflowError (maxPendingSends reached). */
  refused: number;
}

export interface Stats extends Counters {
  state: 'running' | 'pausing' | 'paused';
  run: number;
  capacity: number;
  overflow: Policy;
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

const COLORS = ['#5b5bd6', '#e8590c', '#0ca678', '#d6336c', '#1c7ed6', '#f08c00', '#7048e8', '#2f9e44'];
const $ = <E extends HTMLElement>(id: string): E => document.getElementById(id) as E;
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class Run {
  readonly tx: mpsc.Sender<Token>;
  readonly rx: mpsc.Receiver<Token>;
  readonly counters: Counters = { attempted: 0, sent: 0, delivered: 0, dropped: 0, refused: 0 };
  readonly producers: Producer[] = [];
  /** Buffered values as far as the page knows, oldest first (for colours only). */
  readonly mirror = new Map<number, Token>();
  /** Values that left the channel before the page saw their send resolve. */
  readonly #gone = new Set<number>();
  readonly recentDrops: Token[] = [];
  inHand: Token | null = null;
  receiving = false;
  stopped = false;
  maxBufferedSeen = 0;
  maxPendingSeen = 0;
  samples = 0;
  readonly violations: string[] = [];
  #nextId = 0;

  constructor(
    readonly number: number,
    readonly config: Readonly<Config>,
    readonly live: Config,
    readonly gate: () => Promise<void>,
  ) {
    const options = {
      overflow: config.overflow,
      maxPendingSends: config.maxPendingSends,
      onDrop: (token: Token) => {
        this.counters.dropped++;
        this.recentDrops.push(token);
        if (this.recentDrops.length > 24) this.recentDrops.shift();
        this.#leave(token);
      },
    };
    [this.tx, this.rx] = mpsc.channel<Token>(config.capacity, options);
    void this.#consume();
  }

  /** Starts or parks producers to match the live setting. */
  resize(count: number): void {
    for (const p of this.producers) p.active = p.id < count;
    for (let id = this.producers.length; id < count; id++) {
      this.producers.push({ id, active: true, seq: 0, sent: 0, sending: null, refusedAt: -Infinity, running: false });
    }
    for (const p of this.producers) if (p.active && !p.running) void this.#produce(p, this.tx.clone());
  }

  async #produce(p: Producer, tx: mpsc.Sender<Token>): Promise<void> {
    p.running = true;
    try {
      while (!this.stopped && p.active) {
        await delay(1000 / this.live.producerRate);
        await this.gate();
        if (this.stopped || !p.active) break;
        const token: Token = { id: ++this.#nextId, producer: p.id, seq: ++p.seq };
        this.counters.attempted++;
        p.sending = token;
        try {
          await tx.send(token);
          this.counters.sent++;
          p.sent++;
          this.#enter(token);
        } catch (error) {
          if (error instanceof ChannelOverflowError) {
            this.counters.refused++;
            p.refusedAt = performance.now();
          } else if (error instanceof SendError) {
            break; // the run was replaced: its receiver closed
          } else {
            throw error;
          }
        } finally {
          p.sending = null;
        }
      }
    } finally {
      p.running = false;
      tx.drop();
    }
  }

  async #consume(): Promise<void> {
    for (;;) {
      await this.gate();
      if (this.stopped) return;
      this.receiving = true;
      const token = await this.rx.recv();
      this.receiving = false;
      if (token === undefined || this.stopped) return;
      this.counters.delivered++;
      this.#leave(token);
      this.inHand = token;
      await delay(1000 / this.live.consumerRate);
      this.inHand = null;
    }
  }

  #enter(token: Token): void {
    if (!this.#gone.delete(token.id)) this.mirror.set(token.id, token);
  }

  #leave(token: Token): void {
    if (!this.mirror.delete(token.id)) this.#gone.add(token.id);
  }

  /** Waiting sends: the library's own count when it has one, else the page's unsettled sends. */
  pending(): { count: number; source: 'library' | 'page' } {
    const lib: unknown = this.tx.pendingSends;
    if (typeof lib === 'number') return { count: lib, source: 'library' };
    // A build from before `pendingSends`: a send that found room settles in the next microtask,
    // so between frames an unsettled send is one that waits.
    return { count: this.producers.filter((p) => p.sending !== null).length, source: 'page' };
  }

  /** One observation of the channel, checked against the bounds the library promises. */
  sample(): void {
    const buffered = this.rx.length;
    const free = this.tx.capacity;
    const { count } = this.pending();
    this.samples++;
    this.maxBufferedSeen = Math.max(this.maxBufferedSeen, buffered);
    this.maxPendingSeen = Math.max(this.maxPendingSeen, count);
    const fail = (what: string) => {
      if (this.violations.length < 20) this.violations.push(what);
    };
    if (buffered > this.config.capacity) fail(`buffered ${buffered} > capacity ${this.config.capacity}`);
    if (buffered + free > this.config.capacity) fail(`buffered ${buffered} + free ${free} > capacity`);
    if (count > this.config.maxPendingSends) fail(`pending ${count} > maxPendingSends ${this.config.maxPendingSends}`);
    if (this.config.overflow !== 'wait' && count > 0) fail(`a send waits under '${this.config.overflow}'`);
    if (count > 0 && free > 0) fail(`a send waits while ${free} slots are free`);
  }

  stop(): void {
    this.stopped = true;
    this.rx.close(); // waiting sends reject SendError; the producers end and drop their clones
    this.tx.drop();
  }
}

class Playground {
  state: 'running' | 'pausing' | 'paused' = 'running';
  readonly live: Config;
  run!: Run;
  #runs = 0;
  #resume: (() => void) | null = null;
  #resumed: Promise<void> = Promise.resolve();
  /** Running totals over every channel of the session, so the chart continues across runs. */
  readonly #history: Point[] = [];
  readonly #runStarts: number[] = [];
  #totals = { sent: 0, delivered: 0, dropped: 0 };
  #counted = { run: 0, sent: 0, delivered: 0, dropped: 0 };

  constructor() {
    this.live = readForm();
    this.#newRun();
    this.#wire();
    requestAnimationFrame(this.#frame);
    setInterval(() => this.#record(), 250);
  }

  readonly gate = (): Promise<void> => (this.state === 'running' ? Promise.resolve() : this.#resumed);

  #newRun(): void {
    this.run?.stop();
    if (this.#runs > 0) this.#runStarts.push(performance.now());
    const snapshot = { ...this.live };
    this.run = new Run(++this.#runs, snapshot, this.live, this.gate);
    this.run.resize(this.live.producers);
    buildSlots(snapshot.capacity);
    $('code').textContent = codeFor(snapshot);
  }

  /** Stops producers and consumer at their next step; resolves once every count has settled. */
  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'pausing';
    this.#resumed = new Promise((resolve) => (this.#resume = resolve));
    document.body.dataset.state = this.state;
    // Sends the channel already took resolve in promise jobs; one macrotask later all of them ran.
    await delay(0);
    if (this.state !== 'pausing') return;
    this.state = 'paused';
    document.body.dataset.state = this.state;
    this.#paint();
  }

  resume(): void {
    if (this.state === 'running') return;
    this.state = 'running';
    document.body.dataset.state = this.state;
    this.#resume?.();
  }

  stats(): Stats {
    const run = this.run;
    const pending = run.pending();
    return {
      ...run.counters,
      state: this.state,
      run: run.number,
      capacity: run.config.capacity,
      overflow: run.config.overflow,
      maxPendingSends: run.config.maxPendingSends,
      producers: run.producers.filter((p) => p.active).length,
      buffered: run.rx.length,
      free: run.tx.capacity,
      pendingSends: pending.count,
      pendingSource: pending.source,
      maxBufferedSeen: run.maxBufferedSeen,
      maxPendingSeen: run.maxPendingSeen,
      samples: run.samples,
      violations: [...run.violations],
    };
  }

  #wire(): void {
    const form = $<HTMLFormElement>('controls');
    form.addEventListener('input', (event) => {
      const target = event.target as HTMLInputElement;
      const next = readForm();
      for (const key of ['producers', 'producerRate', 'consumerRate'] as const) {
        this.live[key] = next[key];
        $(`${key}-out`).textContent = String(next[key]);
      }
      if (target.name === 'producers') this.run.resize(next.producers);
    });
    form.addEventListener('change', (event) => {
      const name = (event.target as HTMLInputElement).name;
      if (name !== 'capacity' && name !== 'overflow' && name !== 'maxPendingSends') return;
      const next = readForm();
      Object.assign(this.live, next);
      this.#newRun();
    });
    form.addEventListener('submit', (event) => event.preventDefault());
    $('reset').addEventListener('click', () => this.#newRun());
    $('pause').addEventListener('click', () => {
      if (this.state === 'running') void this.pause();
      else this.resume();
    });
  }

  #record(): void {
    if (this.state !== 'running') return;
    const run = this.run;
    if (this.#counted.run !== run.number) this.#counted = { run: run.number, sent: 0, delivered: 0, dropped: 0 };
    for (const key of ['sent', 'delivered', 'dropped'] as const) {
      this.#totals[key] += run.counters[key] - this.#counted[key];
      this.#counted[key] = run.counters[key];
    }
    const now = performance.now();
    this.#history.push({ t: now, ...this.#totals });
    while (this.#history.length > 0 && now - this.#history[0].t > 31_000) this.#history.shift();
    while (this.#runStarts.length > 0 && now - this.#runStarts[0] > 31_000) this.#runStarts.shift();
  }

  readonly #frame = (): void => {
    if (this.state === 'running') this.run.sample();
    this.#paint();
    requestAnimationFrame(this.#frame);
  };

  #paint(): void {
    const run = this.run;
    const stats = this.stats();
    document.body.dataset.state = this.state;
    $('pause').textContent = this.state === 'running' ? 'Pause' : 'Resume';
    $('pause').setAttribute('aria-pressed', String(this.state !== 'running'));
    for (const key of ['sent', 'delivered', 'dropped', 'buffered', 'free', 'pendingSends', 'refused'] as const) {
      setText(document.querySelector(`[data-stat="${key}"]`)!, String(stats[key]));
    }
    const balance = document.querySelector<HTMLElement>('[data-stat="balance"]')!;
    if (this.state === 'paused') {
      const ok = stats.sent === stats.delivered + stats.dropped + stats.buffered;
      setText(balance, `${stats.sent} = ${stats.delivered} + ${stats.dropped} + ${stats.buffered} ${ok ? '✓' : '✗'}`);
      balance.className = ok ? 'ok' : 'bad';
    } else {
      setText(balance, 'pause to check');
      balance.className = 'off';
    }
    setText($('pending-source'), stats.pendingSource === 'library' ? 'tx.pendingSends' : 'unsettled sends');
    setText($('buffer-caption'), `${stats.buffered} / ${stats.capacity}`);
    paintProducers(run);
    paintSlots(run, stats.buffered);
    paintTokens(
      $('pending'),
      // Waiting sends are served first come, first served: in the order they were started.
      run.producers
        .filter((p) => p.sending !== null && stats.pendingSends > 0)
        .map((p) => p.sending!)
        .sort((a, b) => a.id - b.id),
    );
    paintTokens($('dropped-tokens'), run.recentDrops.slice(-16), 'drop');
    const card = $('consumer-card');
    card.classList.toggle('busy', run.inHand !== null);
    paintTokens($('consumer-hand'), run.inHand ? [run.inHand] : []);
    setText(
      $('consumer-status'),
      run.inHand ? `processing ${label(run.inHand)}` : this.state === 'running' ? 'waiting in recv()' : 'paused',
    );
    setText($('caption'), captionFor(stats));
    drawChart($<HTMLCanvasElement>('chart'), this.#history, this.#runStarts);
  }
}

function captionFor(stats: Stats): string {
  if (stats.state === 'paused') return 'Paused: producers and consumer stopped at their next step; the counters are settled.';
  if (stats.buffered < stats.capacity) return `${stats.capacity - stats.buffered} free slots: sends complete at once.`;
  if (stats.overflow === 'dropOldest') return "Full: each new value evicts the oldest buffered one (onDrop sees it); nobody waits.";
  if (stats.overflow === 'dropNewest') return "Full: each new value is discarded (onDrop sees it); nobody waits.";
  if (stats.pendingSends === 0) return 'Full: the next send will wait.';
  const cap = stats.maxPendingSends === Infinity ? '' : ` (at most ${stats.maxPendingSends}; more are refused)`;
  const n = stats.pendingSends;
  return `Full: ${n} send${n === 1 ? ' waits' : 's wait'}${cap}; each recv() hands the freed slot to the longest-waiting one.`;
}

function readForm(): Config {
  const number = (id: string) => Number(($(id) as HTMLInputElement).value);
  const maxPending = ($('maxPendingSends') as HTMLInputElement).value.trim();
  return {
    capacity: Math.max(1, Math.min(64, Math.round(number('capacity')) || 1)),
    overflow: ($('overflow') as HTMLSelectElement).value as Policy,
    maxPendingSends: maxPending === '' ? Infinity : Math.max(0, Math.round(Number(maxPending)) || 0),
    producers: number('producers'),
    producerRate: number('producerRate'),
    consumerRate: number('consumerRate'),
  };
}

function codeFor(config: Config): string {
  const options = [`overflow: '${config.overflow}'`];
  if (config.maxPendingSends !== Infinity) options.push(`maxPendingSends: ${config.maxPendingSends}`);
  if (config.overflow !== 'wait') options.push('onDrop');
  return `const [tx, rx] = mpsc.channel<Token>(${config.capacity}, {\n  ${options.join(',\n  ')},\n});\n// each producer: await tx.clone().send(v)\n// consumer: for (;;) await rx.recv()`;
}

const label = (t: Token): string => `${t.producer + 1}.${t.seq}`;
const colorOf = (t: Token): string => COLORS[t.producer % COLORS.length];

function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function tokenElement(token: Token | null, extra?: string): HTMLElement {
  const el = document.createElement('span');
  el.className = token ? `token${extra ? ` ${extra}` : ''}` : 'token unknown';
  if (token) {
    el.style.background = colorOf(token);
    el.textContent = label(token);
    el.dataset.id = String(token.id);
  }
  return el;
}

function paintTokens(box: HTMLElement, tokens: Token[], extra?: string): void {
  const key = tokens.map((t) => t.id).join(',');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(...tokens.map((t) => tokenElement(t, extra)));
}

function buildSlots(capacity: number): void {
  const slots = $('slots');
  slots.style.setProperty('--cols', String(Math.min(capacity, 16)));
  slots.replaceChildren(
    ...Array.from({ length: capacity }, (_, i) => {
      const slot = document.createElement('div');
      slot.className = 'slot';
      slot.dataset.slot = String(i);
      return slot;
    }),
  );
}

/** Ids shown in the slots at the last paint: only newcomers get the arrival animation. */
let shownInSlots = new Set<number>();

function paintSlots(run: Run, buffered: number): void {
  const known = [...run.mirror.values()];
  // The library's count is the truth; the mirror may lag by a promise job, so its newest entries
  // are the ones that may be missing.
  const shown = known.slice(0, buffered);
  const slots = $('slots').children;
  const before = shownInSlots;
  shownInSlots = new Set(shown.map((t) => t.id));
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as HTMLElement;
    const token = i < buffered ? (shown[i] ?? null) : undefined;
    const key = token === undefined ? '' : token === null ? '?' : String(token.id);
    if (slot.dataset.key === key) continue;
    slot.dataset.key = key;
    slot.dataset.filled = String(token !== undefined);
    slot.replaceChildren(...(token === undefined ? [] : [tokenElement(token, token && !before.has(token.id) ? 'new' : undefined)]));
  }
}

function paintProducers(run: Run): void {
  const list = $('producer-list');
  const now = performance.now();
  const visible = run.producers.filter((p) => p.active || p.sending !== null);
  while (list.children.length < visible.length) {
    const li = document.createElement('li');
    li.className = 'producer';
    li.innerHTML = '<span class="dot"></span><span class="name"></span><span class="status"></span>';
    list.append(li);
  }
  while (list.children.length > visible.length) list.lastElementChild!.remove();
  const waiting = run.pending().count > 0;
  visible.forEach((p, i) => {
    const li = list.children[i] as HTMLElement;
    const blocked = p.sending !== null && waiting;
    const refused = now - p.refusedAt < 400;
    li.className = `producer${blocked ? ' blocked' : ''}${refused ? ' refused' : ''}${p.active ? '' : ' leaving'}`;
    li.dataset.producer = String(p.id);
    li.dataset.blocked = String(blocked);
    const dot = li.children[0] as HTMLElement;
    dot.style.background = COLORS[p.id % COLORS.length];
    setText(dot, `P${p.id + 1}`);
    setText(li.children[1], `producer ${p.id + 1}`);
    setText(
      li.children[2],
      blocked
        ? `blocked in send(${label(p.sending!)})`
        : refused
          ? 'refused: ChannelOverflowError'
          : `${p.active ? 'producing' : 'leaving'} · ${p.sent} sent`,
    );
  });
}

interface Point {
  t: number;
  sent: number;
  delivered: number;
  dropped: number;
}

function drawChart(canvas: HTMLCanvasElement, history: Point[], runStarts: number[]): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const left = 36;
  const bottom = height - 18;
  // Rates over a one-second window ending at each sample.
  const series = { sent: [] as [number, number][], delivered: [] as [number, number][], dropped: [] as [number, number][] };
  const now = performance.now();
  for (let i = 0, j = 0; i < history.length; i++) {
    while (history[i].t - history[j].t > 1000) j++;
    const span = (history[i].t - history[j].t) / 1000;
    if (span < 0.5) continue;
    for (const key of ['sent', 'delivered', 'dropped'] as const) {
      series[key].push([history[i].t, (history[i][key] - history[j][key]) / span]);
    }
  }
  const peak = Math.max(5, ...Object.values(series).flat().map(([, v]) => v));
  const top = Math.ceil(peak / 5) * 5;
  const x = (t: number) => left + ((t - (now - 30_000)) / 30_000) * (width - left - 8);
  const y = (v: number) => bottom - (v / top) * (bottom - 8);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#667085';
  ctx.strokeStyle = '#e4e7ef';
  ctx.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const v = (top / 4) * k;
    ctx.beginPath();
    ctx.moveTo(left, y(v));
    ctx.lineTo(width - 8, y(v));
    ctx.stroke();
    ctx.fillText(String(Math.round(v)), 4, y(v) + 4);
  }
  ctx.fillText('-30 s', left, height - 4);
  // A dashed line where a new channel started.
  ctx.save();
  ctx.setLineDash([4, 4]);
  ctx.strokeStyle = '#b0b6c8';
  let labelledUpTo = -Infinity;
  for (const t of runStarts) {
    ctx.beginPath();
    ctx.moveTo(x(t), 8);
    ctx.lineTo(x(t), bottom);
    ctx.stroke();
    if (x(t) > labelledUpTo) {
      ctx.fillText('new channel', Math.min(x(t) + 4, width - 8 - ctx.measureText('new channel').width), 18);
      labelledUpTo = x(t) + 80; // settings changed together start channels close together
    }
  }
  ctx.restore();
  ctx.fillText('now', width - 30, height - 4);
  const palette = { sent: '#5b5bd6', delivered: '#14946b', dropped: '#d9480f' };
  for (const key of ['sent', 'delivered', 'dropped'] as const) {
    const points = series[key];
    if (points.length < 2) continue;
    ctx.strokeStyle = palette[key];
    ctx.lineWidth = 2;
    ctx.beginPath();
    points.forEach(([t, v], i) => (i === 0 ? ctx.moveTo(x(t), y(v)) : ctx.lineTo(x(t), y(v))));
    ctx.stroke();
  }
}

const playground = new Playground();
document.body.dataset.state = playground.state;

declare global {
  interface Window {
    __playground: { stats(): Stats; pause(): Promise<void>; resume(): void };
  }
}
window.__playground = {
  stats: () => playground.stats(),
  pause: () => playground.pause(),
  resume: () => playground.resume(),
};
