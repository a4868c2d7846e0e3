import { hookSlot, SCHEDULE_HOOK, type ScheduleHook } from '../internal/schedule.js';

/**
 * The testing module's side of the library's one scheduling point (lib/internal/schedule.ts):
 * installing and removing hooks in the registered slot object, which both module builds read.
 */

/** A hook of this module; an explorer's also says when its scenario's work is all done. */
export interface TestHook extends ScheduleHook {
  /** Resolves once everything scheduled is run and the promise jobs are quiet (an explorer). */
  idle?: () => Promise<void>;
}

interface HookHolder {
  [SCHEDULE_HOOK]?: TestHook;
}

const holder = hookSlot as HookHolder;

/** The hook installed now, if any (ours or another harness's). */
export function currentHook(): TestHook | undefined {
  return holder[SCHEDULE_HOOK];
}

/** Installs `hook`; returns the function that puts back what was installed before. */
export function installHook(hook: TestHook): () => void {
  const previous = holder[SCHEDULE_HOOK];
  holder[SCHEDULE_HOOK] = hook;
  return () => {
    if (holder[SCHEDULE_HOOK] !== hook) return; // replaced since: leave the newer one alone
    if (previous === undefined) delete holder[SCHEDULE_HOOK];
    else holder[SCHEDULE_HOOK] = previous;
  };
}

const RESOLVED: Promise<void> = Promise.resolve();

/** Runs a job as the library does with no hook: a settlement at once, a scheduled job as a promise job. */
export function runPlain(job: () => void, settle: string | undefined): void {
  if (settle !== undefined) job();
  else void RESOLVED.then(job);
}

/** One promise job's worth of waiting. */
export function turn(): Promise<void> {
  return RESOLVED;
}

/**
 * The clock of the machine, captured when this module loads: fake timers installed later (jest's
 * `useFakeTimers`, sinon's `useFakeTimers`) replace the globals, not these.
 */
export const realSetTimeout: typeof setTimeout = globalThis.setTimeout;
export const realClearTimeout: typeof clearTimeout = globalThis.clearTimeout;
