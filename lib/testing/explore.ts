import { checkInteger, show } from '../internal/validate.js';
import { installHook, runPlain, turn, type TestHook } from './hook.js';

/** Options of {@link explore}. */
export interface ExploreOptions {
  /** How many interleavings to try (default 100). */
  readonly runs?: number;
  /**
   * Seed of the first run; run `i` uses `seed + i`, and a failure reports the seed of its own
   * run, so `explore(scenario, { seed, runs: 1 })` replays it. Default: a random seed.
   */
  readonly seed?: number;
  /**
   * Replays exactly this schedule (as a failure reports it) instead of seeded runs: at the
   * `k`-th point where several jobs are ready, the one at index `schedule[k]` runs (0 is the
   * oldest); past the end, the oldest runs.
   */
  readonly schedule?: readonly number[];
  /** The most jobs one run may take before it counts as a livelock (default 10 000). */
  readonly maxSteps?: number;
}

/** What {@link explore} tried when every run passed. */
export interface ExploreReport {
  /** Runs made. */
  readonly runs: number;
  /** Seed of the first run (`undefined` when a `schedule` was replayed). */
  readonly seed: number | undefined;
  /** The most jobs (wake-ups, hand-offs, settlements) any run took. */
  readonly maxSteps: number;
}

/**
 * A run of {@link explore} failed. The message says how to replay it and lists the shortest
 * failing schedule found, one job per line, marking the jobs that ran out of their turn.
 *
 * @example
 * ```ts
 * import { mpmc } from 'rxjs-channel';
 * import { explore, ExploreError } from 'rxjs-channel/testing';
 * // A bug that shows only when the second worker resumes first.
 * const scenario = async () => {
 *   const [tx, rx] = mpmc.channel<number>(2);
 *   const order: string[] = [];
 *   const work = async (name: string, rx: mpmc.Receiver<number>) => {
 *     for await (const n of rx) order.push(name);
 *   };
 *   const workers = Promise.all([work('a', rx.clone()), work('b', rx)]);
 *   await Promise.resolve();
 *   await tx.send(1);
 *   await tx.send(2);
 *   tx.drop();
 *   await workers;
 *   if (order[0] === 'b') throw new Error('b went first');
 * };
 * const error = await explore(scenario, { seed: 1 }).then(() => undefined, (e: unknown) => e);
 * error instanceof ExploreError; // => true
 * const { seed, schedule } = error as ExploreError;
 * const again = await explore(scenario, { seed, runs: 1 }).then(() => undefined, (e: unknown) => e);
 * (again as ExploreError).schedule; // => schedule
 * await explore(scenario, { schedule: [] }); // the default order passes
 * ```
 */
export class ExploreError extends Error {
  /** Always `'ExploreError'`: tells this error apart without `instanceof`. */
  override readonly name = 'ExploreError';
  /** Seed of the failing run: `explore(scenario, { seed, runs: 1 })` replays it. */
  readonly seed: number | undefined;
  /** Which run failed (0-based). */
  readonly run: number;
  /** The shortest failing schedule found: `explore(scenario, { schedule })` replays it. */
  readonly schedule: readonly number[];
  /** How many jobs the shortest failing run took before it failed. */
  readonly steps: number;
  /** Jobs that ran out of their turn in the shortest failing schedule (its non-zero entries). */
  readonly reorderings: number;
  /** The shortest failing run's jobs, in the order they ran. */
  readonly trace: readonly string[];

  /** @internal Made by {@link explore}. */
  constructor(seed: number | undefined, run: number, runs: number, error: unknown, shortest: RunResult) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : show(error);
    const schedule = shortest.picks;
    const reorderings = schedule.filter((pick) => pick !== 0).length;
    const replay = seed === undefined ? '' : `\nReplay it: explore(scenario, { seed: ${seed}, runs: 1 })`;
    const lines = shortest.trace.map((job, i) => `  ${String(i + 1).padStart(3)}. ${job}`).join('\n');
    super(
      `explore: the scenario failed on run ${run + 1} of ${runs}${seed === undefined ? '' : ` (seed ${seed})`}: ${reason}${replay}\n` +
        `Shortest failing schedule found: ${reorderings} reordering${reorderings === 1 ? '' : 's'} in ${shortest.steps} step${shortest.steps === 1 ? '' : 's'}: ` +
        `explore(scenario, { schedule: [${schedule.join(', ')}] })\n${lines}`,
      { cause: error },
    );
    this.seed = seed;
    this.run = run;
    this.schedule = schedule;
    this.steps = shortest.steps;
    this.reorderings = reorderings;
    this.trace = shortest.trace;
  }
}

/** Promise jobs with nothing handed to the explorer, after which the next job is chosen. */
const QUIET_TURNS = 20;
/** Replays the shrinker may make. */
const SHRINK_BUDGET = 300;

interface Job {
  readonly run: () => void;
  readonly label: string;
}

/** @internal One run: what happened and which choices made it happen. */
export interface RunResult {
  readonly failed: boolean;
  readonly error: unknown;
  /** The index chosen at each point where several jobs were ready, trailing zeros dropped. */
  readonly picks: number[];
  readonly trace: string[];
  readonly steps: number;
}

type Choose = (ready: number, point: number) => number;

/**
 * Runs `scenario` under many reproducible interleavings of the library's wake-ups and
 * hand-offs, and rejects {@link ExploreError} with the seed of the first failing run and the
 * shortest failing schedule found: a loom for channel code.
 *
 * While a run is on, every job the library defers (a select re-poll, a watch delivery) and
 * every settlement of a waiting party (the resolve or reject of a waiting `send`, `reserve`,
 * `recv`, a `changed()` or broadcast wait) is handed to the explorer instead of the promise job
 * queue. Each time the promise jobs have gone quiet, the explorer runs one of the ready jobs,
 * chosen by a PRNG seeded per run; so a consumer may resume before or after a producer, a woken
 * sender before or after the next receive, as they could with real work in between. The state
 * changes themselves stay atomic (a value handed to a receive has left the channel before the
 * receive resumes): what varies is only when each waiting party resumes. The same seed makes
 * the same choices, so a failure replays exactly.
 *
 * A failing run is then shrunk: its schedule is retried with fewer and smaller reorderings
 * (and cut short), keeping each change that still fails.
 *
 * The scenario must build its channels itself (each run gets fresh ones), await the tasks it
 * starts, and fail by throwing (jest's `expect` does). It runs on promise jobs: a run in which
 * nothing is left to run before the scenario finished fails as stuck (a deadlock, a lost
 * wake-up, or a wait for a timer, which explore does not drive). {@link flush} inside a
 * scenario waits for the explorer to run everything scheduled.
 *
 * **Errors:** rejects {@link ExploreError} (its `cause` is the scenario's error);
 * `RangeError`/`TypeError` showing a bad option.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { collect, explore } from 'rxjs-channel/testing';
 * // Two producers, one consumer: whatever the interleaving, nothing is lost and each
 * // producer's values arrive in order.
 * const report = await explore(async () => {
 *   const [tx, rx] = mpsc.channel<string>(1);
 *   const produce = async (tx: mpsc.Sender<string>, name: string) => {
 *     for (let i = 0; i < 3; i++) await tx.send(`${name}${i}`);
 *     tx.drop();
 *   };
 *   const [got] = await Promise.all([collect(rx), produce(tx.clone(), 'a'), produce(tx, 'b')]);
 *   if (got.length !== 6) throw new Error(`lost values: ${got}`);
 *   if (got.filter((v) => v.startsWith('a')).join() !== 'a0,a1,a2') throw new Error(`out of order: ${got}`);
 * }, { runs: 50, seed: 1 });
 * report.runs; // => 50
 * ```
 */
export async function explore(scenario: () => unknown, options?: ExploreOptions): Promise<ExploreReport> {
  if (typeof scenario !== 'function') throw new TypeError(`Expected \`scenario\` to be a function, got ${show(scenario)}`);
  const maxSteps = checkInteger('maxSteps', options?.maxSteps ?? 10_000, 1);
  const schedule = options?.schedule;
  if (schedule !== undefined) {
    if (!Array.isArray(schedule) || !schedule.every((pick) => Number.isInteger(pick) && pick >= 0)) {
      throw new TypeError(`Expected \`schedule\` to be an array of integers >= 0, got ${show(schedule)}`);
    }
    const result = await runOnce(scenario, replaying(schedule), maxSteps);
    if (result.failed) throw new ExploreError(undefined, 0, 1, result.error, await shrink(scenario, result, maxSteps));
    return { runs: 1, seed: undefined, maxSteps: result.steps };
  }
  const runs = checkInteger('runs', options?.runs ?? 100, 1);
  const seed = options?.seed === undefined ? Math.floor(Math.random() * 0x100000000) : checkInteger('seed', options.seed, 0);
  let most = 0;
  for (let run = 0; run < runs; run++) {
    const runSeed = (seed + run) >>> 0;
    const result = await runOnce(scenario, seeded(runSeed), maxSteps);
    if (result.failed) throw new ExploreError(runSeed, run, runs, result.error, await shrink(scenario, result, maxSteps));
    most = Math.max(most, result.steps);
  }
  return { runs, seed, maxSteps: most };
}

/** Uniform choices from a PRNG (mulberry32) seeded with `seed`. */
function seeded(seed: number): Choose {
  let a = seed >>> 0;
  return (ready) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 0x100000000) * ready);
  };
}

/** The choices of a recorded schedule (clamped to what is ready), then the oldest job. */
function replaying(schedule: readonly number[]): Choose {
  return (ready, point) => (point < schedule.length ? Math.min(schedule[point], ready - 1) : 0);
}

/** Retries the failing schedule with fewer and smaller reorderings, keeping what still fails. */
async function shrink(scenario: () => unknown, failing: RunResult, maxSteps: number): Promise<RunResult> {
  let best = failing;
  let budget = SHRINK_BUDGET;
  const attempt = async (schedule: number[]): Promise<boolean> => {
    if (budget-- <= 0) return false;
    const result = await runOnce(scenario, replaying(schedule), maxSteps);
    if (!result.failed) return false;
    best = result;
    return true;
  };
  // Cut it short: the shortest prefix whose reorderings alone still fail.
  for (let length = 0; length < best.picks.length; length++) {
    if (best.picks[length] !== 0 && (await attempt(best.picks.slice(0, length)))) break;
  }
  // Then undo reorderings one by one, and make the remaining ones smaller.
  for (let improved = true; improved && budget > 0; ) {
    improved = false;
    for (let k = 0; k < best.picks.length; k++) {
      const pick = best.picks[k];
      for (const smaller of pick > 1 ? [0, pick - 1] : pick === 1 ? [0] : []) {
        const candidate = best.picks.slice();
        candidate[k] = smaller;
        if (await attempt(candidate)) {
          improved = true;
          break;
        }
      }
    }
  }
  return best;
}

/** One interleaving of `scenario`: the hook installed, jobs run one at a time as `choose` says. */
async function runOnce(scenario: () => unknown, choose: Choose, maxSteps: number): Promise<RunResult> {
  const queue: Job[] = [];
  const idle: (() => void)[] = [];
  let handed = 0;
  let live = true;
  const sources = new Map<object, number>();
  const on = (source: object | undefined): string => {
    if (source === undefined) return '';
    let id = sources.get(source);
    if (id === undefined) sources.set(source, (id = sources.size + 1));
    return ` on channel #${id}`;
  };
  const hook: TestHook = Object.assign(
    (run: () => void, settle?: string, source?: object): void => {
      if (!live) return runPlain(run, settle); // a waiter of a finished run
      const what = settle === undefined ? 'scheduled job' : settle === 'wake' ? 'wake-up' : `${settle} resumes`;
      queue.push({ run, label: `${what}${on(source)}` });
      handed++;
    },
    { idle: () => new Promise<void>((resolve) => idle.push(resolve)) },
  );
  const uninstall = installHook(hook);
  let done = false;
  let failed = false;
  let error: unknown;
  void turn()
    .then(scenario)
    .then(
      () => void (done = true),
      (reason: unknown) => {
        done = failed = true;
        error = reason;
      },
    );
  const picks: number[] = [];
  const trace: string[] = [];
  let steps = 0;
  try {
    for (;;) {
      for (let quiet = 0; quiet < QUIET_TURNS; ) {
        const before = handed;
        await turn();
        quiet = handed === before ? quiet + 1 : 0;
      }
      if (failed) break;
      if (queue.length === 0) {
        if (idle.length !== 0) {
          for (const resolve of idle.splice(0)) resolve();
          continue;
        }
        if (done) break;
        failed = true;
        error = new Error('the scenario cannot finish: nothing the library scheduled is left to run (a deadlock, a lost wake-up, or a wait for a timer)');
        break;
      }
      if (steps === maxSteps) {
        failed = true;
        error = new Error(`the scenario did not finish within ${maxSteps} jobs (a livelock?)`);
        break;
      }
      const ready = queue.length;
      const index = ready === 1 ? 0 : choose(ready, picks.length);
      if (ready > 1) picks.push(index);
      const [job] = queue.splice(index, 1);
      steps++;
      trace.push(index === 0 ? job.label : `${job.label}  <- ran ${ordinal(index + 1)} of ${ready} ready`);
      try {
        job.run();
      } catch (thrown) {
        failed = true;
        error = thrown; // a callback's error, rethrown by the library outside its call
        break;
      }
    }
  } finally {
    live = false;
    uninstall();
  }
  while (picks.length !== 0 && picks[picks.length - 1] === 0) picks.pop();
  return { failed, error, picks, trace, steps };
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
