// Turns a run (see run.mjs) into the table, the side-by-side shape sections, the targets (this
// issue's and issue 3's), docs/benchmarks.md and the SVG bar chart of msgs/s. No dependencies:
// the SVG is written by hand.

const MB = 1024 * 1024;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Derived figures of a row, or null when it did not run cleanly. */
export function stats(row) {
  const n = row.n;
  if (row.skipped || !row.ms || row.ms.length === 0) return null;
  const rate = (ms) => (n / ms) * 1000;
  return {
    rate: rate(median(row.ms)),
    minRate: rate(Math.max(...row.ms)),
    maxRate: rate(Math.min(...row.ms)),
    nsPerMsg: (median(row.ms) * 1e6) / n,
    cpuRate: rate(median(row.cpuMs)),
    cpuNsPerMsg: (median(row.cpuMs) * 1e6) / n,
    heapPeak: median(row.heapGrowth) / MB,
    heapLive: row.liveHeapGrowth === null ? NaN : row.liveHeapGrowth / MB,
    rss: row.peakRss / MB,
    alloc: row.alloc?.bytesPerValue ?? NaN,
    ok: row.errors.length === 0,
  };
}

/**
 * Table blocks of the main matrix, one per (C, P); rows without a capacity appear in every
 * block of their P. Shape rows have their own sections (shapeBlocks).
 */
function blocks(run) {
  const main = run.rows.filter((r) => !r.shape);
  const capacities = [...new Set(main.map((r) => r.capacity).filter((c) => c !== null))].sort((a, b) => a - b);
  const producerCounts = [...new Set(main.map((r) => r.producers))].sort((a, b) => a - b);
  if (capacities.length === 0) capacities.push(null);
  const out = [];
  for (const capacity of capacities) {
    for (const producers of producerCounts) {
      const rows = main
        .filter((r) => r.producers === producers && (r.capacity === capacity || r.capacity === null))
        .map((r) => ({ row: r, s: stats(r) }))
        .sort((a, b) => (b.s?.rate ?? -1) - (a.s?.rate ?? -1));
      if (rows.length !== 0) out.push({ capacity, producers, rows });
    }
  }
  return out;
}

const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
const fmtRate = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`);
const fmtMb = (x) => (Number.isNaN(x) ? '?' : x.toFixed(1));
const fmtBytes = (x) => (Number.isNaN(x) ? '?' : x.toFixed(0));

/** Shape sections: for each shape of SHAPES and each C, its rows with a ratio to a reference. */
export function shapeBlocks(run, shapes) {
  const out = [];
  for (const shape of shapes) {
    const rows = run.rows.filter((r) => r.shape === shape.id);
    // Rows without a capacity (unbounded peers) are listed in every block, as in the main tables.
    const capacities = [...new Set(rows.map((r) => r.capacity).filter((c) => c !== null))].sort((a, b) => a - b);
    if (capacities.length === 0) capacities.push(null);
    for (const capacity of capacities) {
      const here = rows.filter((r) => r.capacity === capacity || r.capacity === null).map((r) => ({ row: r, s: stats(r) }));
      if (here.length === 0) continue;
      for (const item of here) {
        const refName = shape.reference(item.row.name);
        const ref = here.find((x) => x.row.name === refName && x.row.producers === item.row.producers);
        item.ratio = item.s && ref?.s ? item.s.rate / ref.s.rate : NaN;
        item.cpuRatio = item.s && ref?.s ? item.s.cpuRate / ref.s.cpuRate : NaN;
        item.reference = refName;
      }
      out.push({ shape, capacity, rows: here });
    }
  }
  return out;
}

function cells({ row, s }) {
  const c = row.capacity === null ? '-' : String(row.capacity);
  const n = row.n >= 1e6 ? `${row.n / 1e6}M` : `${row.n / 1e3}k`;
  if (row.skipped) return [row.name, c, String(row.producers), '', '', '', '', '', '', '', '', '', `skipped: ${row.skipped}`];
  if (s === null) return [row.name, c, String(row.producers), n, '', '', '', '', '', '', '', '', `FAILED: ${row.errors.join('; ')}`];
  return [
    row.name,
    c,
    String(row.producers),
    n,
    fmtInt(s.rate),
    `${fmtRate(s.minRate)}–${fmtRate(s.maxRate)}`,
    s.nsPerMsg.toFixed(0),
    s.cpuNsPerMsg.toFixed(0),
    fmtMb(s.heapPeak),
    fmtMb(s.heapLive),
    fmtMb(s.rss),
    fmtBytes(s.alloc),
    s.ok ? 'ok' : `FAILED: ${row.errors.join('; ')}`,
  ];
}

const HEAD = ['case', 'C', 'P', 'N', 'msgs/s (median)', 'min–max', 'ns/msg', 'CPU ns/msg', 'heap Δ peak MB', 'heap Δ live MB', 'peak RSS MB', 'alloc B/msg', 'check'];
const NUMERIC = (i) => i >= 3 && i <= 11;
const SHAPE_HEAD = ['case', 'C', 'P', 'width', 'ratio', 'CPU ratio', 'vs', 'msgs/s (median)', 'min–max', 'CPU ns/msg', 'heap Δ peak MB', 'heap Δ live MB', 'alloc B/msg', 'check'];
const SHAPE_NUMERIC = (i) => (i >= 3 && i <= 5) || (i >= 7 && i <= 12);

function shapeCells(item) {
  const base = cells(item);
  const { row, s } = item;
  const ratio = Number.isNaN(item.ratio) ? '' : `${item.ratio.toFixed(2)}x`;
  const cpuRatio = Number.isNaN(item.cpuRatio) ? '' : `${item.cpuRatio.toFixed(2)}x`;
  const vs = item.reference === row.name ? '(reference)' : item.reference;
  if (s === null) return [base[0], base[1], base[2], String(row.width ?? ''), '', '', vs, '', '', '', '', '', '', base.at(-1)];
  return [base[0], base[1], base[2], String(row.width ?? ''), ratio, cpuRatio, vs, base[4], base[5], base[7], base[8], base[9], base[11], base[12]];
}

// ---- the targets ---------------------------------------------------------------------------------

function find(run, name, capacity, producers) {
  const row = run.rows.find((r) => r.name === name && r.producers === producers && (r.capacity === capacity || r.capacity === null));
  return row === undefined ? null : stats(row);
}

/**
 * Each target as { issue, id, target, measured, met } (met null when not measured, 'info' for
 * context lines). `issue` is 'current' for the targets of the issue this run answers ("Honest
 * benchmarks, the remaining speed, and every runtime users run") and 'issue 3' for the earlier
 * ones, still measured so a regression shows.
 */
export function targets(run) {
  const out = [];
  let issue = 'current';
  const basis = verdictBasis(run);
  const ratio = (id, target, ours, theirs, at, min, strict = false) => {
    const [c, p] = at;
    const a = find(run, ours, c, p);
    const b = find(run, theirs, c, p);
    const value = a && b ? a.rate / b.rate : null;
    const cpu = a && b ? a.cpuRate / b.cpuRate : null;
    out.push({
      issue,
      id,
      target: `${target} (C=${c}, P=${p})`,
      measured:
        value === null
          ? 'not measured'
          : `${value.toFixed(2)}x (${fmtRate(a.rate)} vs ${fmtRate(b.rate)} msgs/s); by CPU time ${cpu.toFixed(2)}x`,
      met: value === null ? null : compare(basis === 'cpu' ? cpu : value, min, strict),
      basis,
    });
  };
  const compare = (v, min, strict) => (strict ? v > min : v >= min);
  const effect = run.peers?.effect ? `effect ${run.peers.effect}` : 'effect';

  ratio('A', 'await send + for await >= 0.9x the floor used the same way', 'rxc-send-iter', 'floor-send-iter', [16, 4], 0.9);
  for (const p of [1, 4]) ratio('B', `recvMany(C) >= 1.5x ${effect}'s Queue.takeAll`, 'rxc-recvmany', 'effect-takeall', [1024, p], 1.5);
  for (const [c, p] of [[16, 1], [16, 4], [1024, 4]]) {
    const a = find(run, 'rxc-send-iter', c, p);
    const b = find(run, 'floor-send-iter', c, p);
    const ok = a && b && !Number.isNaN(a.alloc) && !Number.isNaN(b.alloc);
    out.push({
      issue,
      id: 'C',
      target: `bytes allocated per value, await send + for await <= the floor's + 10% (C=${c}, P=${p})`,
      measured: ok ? `${a.alloc.toFixed(0)} B vs ${b.alloc.toFixed(0)} B per value (${(a.alloc / b.alloc).toFixed(2)}x)` : 'not measured',
      met: ok ? a.alloc <= b.alloc * 1.1 : null,
    });
  }
  for (const style of ['iter', 'recv']) {
    for (const c of [16, 1024]) {
      const how = style === 'iter' ? 'for await' : 'recv() loops';
      ratio('D', `mpmc, 8 waiting receivers (${how}) >= 0.8x one receiver`, `rxc-mpmc-${style}-x8`, `rxc-mpmc-${style}-x1`, [c, 4], 0.8);
    }
  }
  ratio('E', 'mergeMapBounded >= 0.5x a hand-written pool of 8 recv() workers', 'rxc-mergemapbounded-x8', 'pool-recv-x8', [16, 4], 0.5);

  issue = 'issue 9';
  for (const dir of ['w2m', 'm2w']) {
    const where = dir === 'w2m' ? 'workers to main' : 'main to workers';
    for (const c of [16, 1024]) {
      for (const x of [1, 4]) {
        const at = [c, x];
        ratio('T1', `${where}, await send + for await >= 0.8x the floor`, `rxc-threads-${dir}-x${x}`, `floor-threads-${dir}-x${x}`, at, 0.8);
        ratio('T1f', `${where}, the fast path (trySend, subscribe) >= 0.8x the floor`, `rxc-fast-threads-${dir}-x${x}`, `floor-threads-${dir}-x${x}`, at, 0.8);
        ratio('T2', `${where}, await send + for await >= 2x per-value postMessage`, `rxc-threads-${dir}-x${x}`, `post-threads-${dir}-x${x}`, at, 2);
        ratio('T2f', `${where}, the fast path >= 2x per-value postMessage`, `rxc-fast-threads-${dir}-x${x}`, `post-threads-${dir}-x${x}`, at, 2);
        ratio('T3', `${where}, await send + for await >= 20x a transferred ReadableStream`, `rxc-threads-${dir}-x${x}`, `stream-threads-${dir}-x${x}`, at, 20);
      }
    }
  }
  for (const c of [16, 1024]) ratio('T4', 'work pool of 4 workers >= 1x piscina', 'rxc-pool-x4', 'piscina-pool-x4', [c, 1], 1);

  issue = 'issue 3';
  for (const p of [1, 4]) {
    ratio('1a', 'await send + for await >= 0.9x floor used the same way', 'rxc-send-iter', 'floor-send-iter', [16, p], 0.9);
    ratio('1b', "await send + for await >= 2x Node's Readable", 'rxc-send-iter', 'node-readable', [16, p], 2);
  }
  for (const p of [1, 4]) {
    ratio('2a', "trySend + subscribe >= 0.75x floor's fast path", 'rxc-trysend-subscribe', 'floor-trysend-sync', [1024, p], 0.75);
    ratio('2b', 'trySend + subscribe >= 1x rxjs Subject, sync subscriber', 'rxc-trysend-subscribe', 'rxjs-subject', [1024, p], 1);
  }
  // Context for 1b, not a target: how far the floor itself gets ahead of Node's Readable.
  for (const p of [1, 4]) {
    ratio('1b*', "context: the floor used the same way vs Node's Readable", 'floor-send-iter', 'node-readable', [16, p], 0);
    out.at(-1).met = 'info';
  }
  // Context for 2a, not a target: the floor's fast path behind an rxjs Subscriber, the path
  // every subscribe() consumer takes. The gap between 2a and this is rxjs-channel's own cost.
  for (const p of [1, 4]) {
    ratio('2a*', 'context: trySend + subscribe vs the floor behind an rxjs Subscriber', 'rxc-trysend-subscribe', 'floor-trysend-rxjs', [1024, p], 0);
    out.at(-1).met = 'info';
  }
  for (const p of [1, 4]) {
    ratio('3', `recvMany > ${effect}'s Queue.takeAll`, 'rxc-recvmany', 'effect-takeall', [1024, p], 1, true);
  }
  const ours = run.rows.filter((r) => r.group === 'rxjs-channel' && r.capacity !== null && !r.skipped && r.ms && r.liveHeapGrowth !== null);
  if (ours.length !== 0) {
    const worst = ours.reduce((a, b) => (b.liveHeapGrowth > a.liveHeapGrowth ? b : a));
    const worstPeak = ours.reduce((a, b) => (median(b.heapGrowth) > median(a.heapGrowth) ? b : a));
    out.push({
      issue,
      id: '4',
      target: 'heap growth < 3 MB in every bounded rxjs-channel configuration (live heap, P=4 and the shapes included)',
      measured:
        `max live ${fmtMb(worst.liveHeapGrowth / MB)} MB (${worst.name} C=${worst.capacity} P=${worst.producers}); ` +
        `max sampled peak incl. young-generation garbage ${fmtMb(median(worstPeak.heapGrowth) / MB)} MB (${worstPeak.name} C=${worstPeak.capacity} P=${worstPeak.producers})`,
      met: worst.liveHeapGrowth < 3 * MB,
    });
  } else {
    out.push({ issue, id: '4', target: 'heap growth < 3 MB', measured: 'not measured', met: null });
  }
  const pair = run.idle.find((x) => x.kind === 'mpsc.channel(16)');
  const subjects = run.idle.find((x) => x.kind === 'rxjs Subject x2');
  out.push({
    issue,
    id: '5',
    target: 'an idle channel pair costs <= two rxjs Subjects',
    measured: pair?.bytesPerPair && subjects?.bytesPerPair ? `${pair.bytesPerPair.toFixed(1)} B vs ${subjects.bytesPerPair.toFixed(1)} B per pair` : 'not measured',
    met: pair?.bytesPerPair && subjects?.bytesPerPair ? pair.bytesPerPair <= subjects.bytesPerPair : null,
  });
  return out;
}

/**
 * Which ratio decides a timing target: wall time, unless the machine was busy (mean 1-minute
 * load average above its core count during the timed runs), when time spent descheduled would
 * decide instead of the code; CPU time (user + system of the child) then.
 */
export function verdictBasis(run) {
  return run.load && run.cores && run.load.mean > run.cores ? 'cpu' : 'wall';
}

const loadText = (run) =>
  run.load ? `1-minute load average during the timed runs: mean ${run.load.mean.toFixed(1)}, max ${run.load.max.toFixed(1)} on ${run.cores} cores` : '';

const verdict = (met) => (met === 'info' ? 'info' : met === null ? 'n/a' : met ? 'met' : 'MISSED');

// ---- text ------------------------------------------------------------------------------------

function pad(rows, numeric = NUMERIC) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

const peerLine = (run) =>
  Object.entries(run.peers ?? {})
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');

export function tableText(run, goals, shapes = []) {
  const lines = [
    `N = ${fmtInt(run.n)}, ${run.reps} repetitions, median (min–max); node ${run.node}, ${run.cpu}${run.memory ? `, ${run.memory}` : ''}; lib ${run.libCommit ?? '?'}`,
    `peers: ${peerLine(run)}`,
    loadText(run),
  ];
  for (const block of blocks(run)) {
    lines.push('', `C = ${block.capacity ?? '-'}, P = ${block.producers}`);
    lines.push(...pad([HEAD, ...block.rows.map(cells)]));
  }
  for (const block of shapeBlocks(run, shapes)) {
    lines.push('', `${block.shape.title}, C = ${block.capacity}`);
    lines.push(...pad([SHAPE_HEAD, ...block.rows.map(shapeCells)], SHAPE_NUMERIC));
  }
  if (run.idle.length !== 0) {
    lines.push('', `Idle memory, ${fmtInt(100_000)} pairs (bytes per pair, after GC)`);
    for (const x of run.idle) lines.push(`  ${x.kind.padEnd(26)} ${x.bytesPerPair === undefined ? `FAILED ${x.errors?.join('; ')}` : x.bytesPerPair.toFixed(0)}`);
  }
  for (const issue of ['current', 'issue 9', 'issue 3']) {
    lines.push('', `${issue === 'current' ? 'Targets of this issue' : `Targets of ${issue}`} (same run; timing verdicts by ${verdictBasis(run) === 'cpu' ? 'CPU time: the machine was busy' : 'wall time'})`);
    for (const g of goals.filter((x) => x.issue === issue)) lines.push(`  ${g.id.padEnd(3)} ${verdict(g.met).padEnd(7)} ${g.target}: ${g.measured}`);
  }
  lines.push('', `wall time ${run.wallSeconds}s`);
  return lines.join('\n');
}

// ---- markdown --------------------------------------------------------------------------------

const mdRow = (cellsOf) => `| ${cellsOf.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;

const harnessMax = (run) => {
  const all = run.rows.map((r) => r.alloc?.harnessBytesPerValue).filter((x) => typeof x === 'number');
  return all.length === 0 ? '?' : Math.max(...all).toFixed(1);
};

const commitNote = (commit) =>
  commit?.endsWith('+dirty')
    ? ' (`+dirty`: built from the working tree, whose lib/ had uncommitted edits)'
    : commit?.includes('type errors')
      ? ' (built apart with `--commit`; tsc reported type errors in that commit, and the JavaScript it emitted anyway was measured)'
      : '';

export function markdownReport(run, goals, shapes = []) {
  const out = [];
  const versionOf = (row) => (row.package && run.peers?.[row.package] ? ` (${row.package} ${run.peers[row.package]})` : '');
  const targetTable = (issue) => [
    mdRow(['#', 'target', 'measured', 'verdict']),
    mdRow(['---', '---', '---', '---']),
    ...goals.filter((g) => g.issue === issue).map((g) => mdRow([g.id, g.target, g.measured, verdict(g.met)])),
  ];
  out.push(
    '# Benchmarks',
    '',
    'rxjs-channel side by side with what a user would pick instead, all measured in one run on the',
    'same machine by `npm run bench` (which builds the package and measures `dist/esm`, what users',
    'run). This file and `benchmarks.svg` are written by that command; do not edit them by hand.',
    '',
    `Run of ${run.date.slice(0, 16).replace('T', ' ')} UTC on ${run.cpu}${run.memory ? `, ${run.memory} RAM` : ''}, ${run.os}; node ${run.node};`,
    `rxjs-channel at commit \`${run.libCommit ?? 'unknown'}\`${commitNote(run.libCommit)}. N = ${fmtInt(run.n)} values per run`,
    `(N / 5 for the shapes and slow peers), median of ${run.reps} timed repetitions; wall time ${Math.round(run.wallSeconds / 60)} min. Each`,
    'repetition runs in a fresh child process after a warm-up of N / 10 values, and the repetitions',
    'run in rounds (every configuration once per round), so a slow spell on the machine spreads',
    'over all rows instead of a few.',
    ...(run.load ? ['', `${loadText(run)}: timing verdicts by ${verdictBasis(run) === 'cpu' ? 'CPU time (the machine was busy with other work)' : 'wall time'}.`] : []),
    ...(run.note ? ['', `**Conditions:** ${run.note}`] : []),
    '',
    'Peers at the versions installed for this run (read from their `package.json` at run time):',
    '',
    mdRow(['package', 'version']),
    mdRow(['---', '---']),
    ...Object.entries(run.peers ?? {}).map(([name, version]) => mdRow([`\`${name}\``, version])),
    mdRow(['node:stream, node:stream/web', `node ${run.node}`]),
    '',
    '![msgs/s per configuration](benchmarks.svg)',
    '',
    '## Targets',
    '',
    'Of the issue "Honest benchmarks, the remaining speed, and every runtime users run":',
    '',
    ...targetTable('current'),
    '',
    'Of issue 9, "Channels across threads" (the shape sections `threads` and `pool` below):',
    '',
    ...targetTable('issue 9'),
    '',
    'Of issue 3, still measured so that a regression shows:',
    '',
    ...targetTable('issue 3'),
    '',
    '## How to read it',
    '',
    '- The main tables have one block per capacity **C** and producer count **P**, fastest first.',
    '  Each producer sends its share of the values 0..N-1; the consumers together receive them all.',
    '  The shape sections below put the rows of one usage pattern side by side, with a **ratio**',
    '  (msgs/s over that of the row named in **vs**, same C and P) by wall time and by CPU time.',
    '- **msgs/s** is N divided by the median wall time of the repetitions (from creating the channel',
    '  to the consumer seeing the end); **min–max** is the range over the repetitions; **ns/msg** is',
    '  the median time per value. **CPU ns/msg** is the same from the process\'s CPU time (user +',
    '  system, GC helper threads included): steadier than wall time when other work shares the',
    '  machine, so it is the column to trust when min–max is wide. The target ratios quote both;',
    '  the verdict uses wall time, or CPU time when the machine was busy (mean 1-minute load average',
    `  above the core count during the timed runs; in this run: ${verdictBasis(run) === 'cpu' ? 'CPU time' : 'wall time'}).`,
    '- **heap Δ peak** is the highest `heapUsed` sampled during a run (every 4,096 values) minus',
    '  `heapUsed` after a forced GC before it. It includes young-generation garbage not yet',
    '  collected (up to the V8 semi-space, which V8 grows from 1 MB to 16 MB as allocation goes on),',
    '  so anything allocating a promise per value can show up to ~16 MB here whatever it retains.',
    '  **heap Δ live** is the same in one extra, untimed run that forces a GC at eight checkpoints',
    '  before sampling: memory actually retained (waiter queues, buffers, closures). Unbounded rows',
    '  show their backlog there.',
    '- **alloc B/msg** is the bytes allocated per value, garbage included (see below). Retained heap',
    '  says what a channel holds; allocation says how much work it leaves the GC.',
    '- **peak RSS** is the highest resident set size sampled in the timed runs (whole process).',
    '- **check** is `ok` when every run, warm-up included, delivered exactly N values with the right',
    '  sum and each producer\'s values in order (not checked across several receivers or workers,',
    '  where which consumer sees a value first is up to the scheduling).',
    '- Rows with C = `-` have no capacity (rxjs `Subject`, `it-pushable`): the same measurement is',
    '  listed in every block of its P for comparison.',
    '- The **floor** is `bench/floor-channel.mjs`: a minimal bounded ring-buffer channel (no abort',
    '  signals, permits, errors or ownership checks), used the same way as rxjs-channel: `await send`',
    '  + `for await`, and `trySend` + a synchronous callback.',
    '',
    '## How allocation is counted',
    '',
    '`bench/alloc.mjs` runs each configuration once more, in its own process started with',
    '`--max-semi-space-size=128 --min-semi-space-size=128`: a fixed 128 MB young generation, so V8',
    'neither starts small nor collects while a run allocates less than that. After a warm-up (so the',
    'code is optimised and compiled before counting) it forces a full GC, reads',
    '`process.memoryUsage().heapUsed`, runs N values (at most 100,000) and reads `heapUsed` again.',
    'With no collection in between, nothing was freed, so the difference is every byte the run',
    'allocated, in every space (young, old, large objects, code), divided by N. A',
    '`PerformanceObserver` on `gc` entries checks that no collection started inside that window; if',
    'one did, the figure would undercount, so the run is repeated with half the values. The',
    'harness\'s own tally is measured the same way, in the same process (a loop feeding the consumer;',
    `at most ${harnessMax(run)} B per value in this run, i.e. nothing per value: it keeps its sum in small`,
    'integers so it never allocates a heap number) and is not subtracted. Node\'s builds use 8-byte pointers (no pointer',
    'compression): `[a, b]` costs 64 B and one `await` of a resolved promise about 200 B, so the',
    'figures are larger than in Chrome. `heapUsed` after `--expose-gc` alone, `total_heap_size` or',
    'RSS are not allocation and are not used for it.',
    '',
    '## Rerun',
    '',
    '```sh',
    'npm run bench                                   # everything, rewrites this file',
    'npm run build && node bench/run.mjs --quick      # N = 100,000, 3 rounds, for development',
    'node bench/run.mjs --only rxc-send-iter --capacity 16 --producers 4',
    'node bench/run.mjs --only rxc-mpmc-iter-x1,rxc-mpmc-iter-x8 --capacity 16 --no-alloc',
    'node bench/run.mjs --only idle-pairs             # the idle-memory figures only',
    'node bench/run.mjs --commit HEAD                 # lib/ as committed, built apart from the working tree',
    'node --expose-gc bench/profile.mjs rxc-send-iter --capacity 16 --producers 4   # top self time',
    '```',
    '',
    '`bench/profile.mjs` runs one case in-process with V8\'s CPU profiler on for the timed runs only',
    '(no start-up or warm-up) and prints the functions with the most self time; add',
    '`--no-turbo-inlining` to the node flags to see time by source function rather than by the',
    'optimised function that inlined it.',
    '',
    'Case names are the first column below. Raw figures of the last full run are in',
    '`bench/results/latest.json` (partial runs write `partial.json` or `quick.json` beside it).',
    'Timing is noisy on a shared or throttled machine: compare rows of the same run, not runs of',
    'different days.',
  );
  const sb = shapeBlocks(run, shapes);
  if (sb.length !== 0) {
    out.push('', '## Shapes users run');
    let last = null;
    for (const block of sb) {
      if (block.shape !== last) {
        out.push('', `### ${block.shape.title}`, '', block.shape.text);
        last = block.shape;
      }
      out.push('', `C = ${block.capacity}:`, '', mdRow(SHAPE_HEAD), mdRow(SHAPE_HEAD.map((_, i) => (SHAPE_NUMERIC(i) ? '---:' : '---'))));
      out.push(...block.rows.map((r) => mdRow(shapeCells(r))));
    }
  }
  out.push('', '## Throughput, memory and allocation');
  for (const block of blocks(run)) {
    out.push('', `### C = ${block.capacity ?? '-'}, P = ${block.producers}`, '', mdRow(HEAD), mdRow(HEAD.map((_, i) => (NUMERIC(i) ? '---:' : '---'))));
    out.push(...block.rows.map((r) => mdRow(cells(r))));
  }
  out.push('', '## Cases', '', mdRow(['case', 'what it measures']), mdRow(['---', '---']));
  const seen = new Set();
  for (const row of run.rows) {
    if (seen.has(row.name)) continue;
    seen.add(row.name);
    out.push(mdRow([row.name, row.label + versionOf(row)]));
  }
  if (run.idle.length !== 0) {
    out.push('', `## Idle memory: ${fmtInt(100_000)} pairs`, '', 'Sender and receiver kept alive, measured after a forced GC.', '');
    out.push(mdRow(['what', 'bytes per pair']), mdRow(['---', '---:']));
    for (const x of run.idle) out.push(mdRow([x.kind, x.bytesPerPair === undefined ? 'failed' : x.bytesPerPair.toFixed(0)]));
  }
  out.push(
    '',
    '## What was reduced, to keep the run near 10 minutes on 2 cores',
    '',
    '- rxjs-channel (every style) and the floor run the whole matrix, C in {1, 16, 1024} x P in',
    '  {1, 4}, with the full N.',
    '- Peers that take several µs per value (`repeater`, `web-readablestream` and `effect-take`',
    '  everywhere, `effect-takeall` below C = 1024) run with N / 5 values (column **N**), and at C = 1',
    '  with P = 1 only. Their msgs/s is still per value; their heap figures cover the shorter run.',
    '  `node bench/run.mjs --peers-full` runs them in full (several times longer).',
    '- Peers without a capacity (`rxjs-subject`, `it-pushable`) run once per P.',
    '- The shapes run at their own C and P (listed in each section) with N / 5 values, every row of',
    '  a shape alike.',
    '- The allocation pass counts at most 100,000 values per configuration, once.',
    '',
  );
  return out.join('\n');
}

// ---- svg -------------------------------------------------------------------------------------

const COLORS = { 'rxjs-channel': '#1f6feb', floor: '#8b949e', peer: '#d97706' };
const esc = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Horizontal bars of msgs/s, one panel per (C, P): P = 1 on the left, P = 4 next, then one
 * column with a panel per shape and C.
 */
export function svgChart(run, shapes = []) {
  const all = blocks(run).map((b) => ({ ...b, title: `C = ${b.capacity ?? '-'}, P = ${b.producers}`, rows: b.rows.filter((r) => r.s !== null) }));
  const producerCounts = [...new Set(all.map((b) => b.producers))];
  const columns = producerCounts.map((p) => all.filter((b) => b.producers === p));
  const shaped = shapeBlocks(run, shapes)
    .map((b) => ({ title: `${b.shape.id}, C = ${b.capacity}`, rows: b.rows.filter((r) => r.s !== null).sort((x, y) => y.s.rate - x.s.rate) }))
    .filter((b) => b.rows.length !== 0);
  if (shaped.length !== 0) columns.push(shaped);
  const rowH = 17;
  const labelW = 190;
  const barW = 300;
  const valueW = 70;
  const panelW = labelW + barW + valueW + 20;
  const titleH = 26;
  const top = 56;
  const panelH = (b) => titleH + b.rows.length * rowH + 14;
  const height = top + Math.max(...columns.map((col) => col.reduce((h, b) => h + panelH(b), 0))) + 30;
  const width = panelW * columns.length + 20;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#1f2328">msgs/s (median of ${run.reps}), higher is better; each panel has its own scale</text>`,
    `<text x="12" y="40" fill="#57606a">N = ${fmtInt(run.n)} (N / 5 for shapes and slow peers), node ${esc(run.node)}, ${esc(run.cpu)}, ${run.date.slice(0, 10)}.  ` +
      Object.entries(COLORS).map(([g, c]) => `<tspan fill="${c}">■</tspan> ${g}`).join('   ') + '</text>',
  ];
  columns.forEach((col, ci) => {
    let y = top;
    const x0 = 10 + ci * panelW;
    for (const block of col) {
      const max = Math.max(...block.rows.map((r) => r.s.rate));
      parts.push(`<text x="${x0}" y="${y + 16}" font-size="12" font-weight="600" fill="#1f2328">${esc(block.title)}</text>`);
      block.rows.forEach(({ row, s }, i) => {
        const yy = y + titleH + i * rowH;
        const w = Math.max(1, (s.rate / max) * barW);
        parts.push(
          `<text x="${x0 + labelW - 6}" y="${yy + 11}" text-anchor="end" fill="#1f2328">${esc(row.name)}${row.capacity === null ? ' (no C)' : ''}${row.shape ? ` P=${row.producers}` : ''}</text>`,
          `<rect x="${x0 + labelW}" y="${yy + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${COLORS[row.group] ?? '#999'}"/>`,
          `<text x="${(x0 + labelW + w + 4).toFixed(1)}" y="${yy + 11}" fill="#57606a">${fmtRate(s.rate)}${s.ok ? '' : ' (FAILED)'}</text>`,
        );
      });
      y += panelH(block);
    }
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
