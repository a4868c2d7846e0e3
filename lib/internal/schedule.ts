/**
 * The one scheduling point of the library: every deferred wake-up (a select re-poll, a watch
 * delivery, an error rethrown out of a callback) runs as a promise job through `schedule`.
 *
 * Promise jobs, not `queueMicrotask` or timers: jest's and sinon's fake timers replace
 * `queueMicrotask`, `setImmediate` and `setTimeout` but never the promise job queue, so
 * everything the library defers still runs under fake timers.
 *
 * A test harness (`rxjs-channel/testing`) may install a hook through the registered symbol
 * below to take over the order in which scheduled jobs run; with no hook the cost is one
 * `Promise.then` per job.
 */

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The hook a test harness installs: it receives each job and must run it exactly once; a job
 * of {@link schedule} never inside the call that hands it over (a settlement may run at once,
 * as it does without a hook). `settle` is set for the settlement of a waiting send,
 * reserve or receive (the resolve or reject of its promise; the channel's state already
 * changed, atomically, when the job was made) and names it (`'send'`, `'recv'`, ...); it is
 * undefined for a job given to {@link schedule}. `source` is the object waited on (a channel's
 * state), so a harness can tell channels apart in what it reports. A waiter made while the
 * hook was installed settles through that same hook, also after it was uninstalled (which
 * must then run the job itself).
 */
export type ScheduleHook = (job: () => void, settle?: string, source?: object) => void;

/** Key of the hook in {@link hookSlot}. */
export const SCHEDULE_HOOK: unique symbol = Symbol.for('rxjs-channel.scheduleHook') as never;

interface HookHolder {
  [SCHEDULE_HOOK]?: ScheduleHook;
}

/**
 * Where the hook is installed: one small object registered on `globalThis` (shared by both
 * module builds), so reading it on each wait is a plain property load, not a lookup on the
 * global object.
 */
export const hookSlot: HookHolder = ((globalThis as Record<symbol, HookHolder | undefined>)[
  Symbol.for('rxjs-channel.scheduleHookSlot')
] ??= Object.create(null) as HookHolder);

/** Runs `job` as a promise job (or hands it to the installed hook). */
export function schedule(job: () => void): void {
  const hook = hookSlot[SCHEDULE_HOOK];
  if (hook !== undefined) hook(job);
  else void RESOLVED.then(job);
}

/** The installed hook, if any: read only where the library already waits, never on a fast path. */
export function scheduleHook(): ScheduleHook | undefined {
  return hookSlot[SCHEDULE_HOOK];
}

/** Rethrows `error` outside the current call stack, so one failing callback does not stop the others. */
export function rethrowLater(error: unknown): void {
  schedule(() => {
    throw error;
  });
}
