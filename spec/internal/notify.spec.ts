import { getEventListeners } from 'node:events';
import { Notify, wakeSoon } from '../../lib/internal/notify.js';
import { SCHEDULE_HOOK, hookSlot, type ScheduleHook } from '../../lib/internal/schedule.js';

// Notify is the wake-up list behind broadcast, watch and oneshot. Its listener bookkeeping, its
// test-harness hook and its owner-scoped cancel are invisible through the public API (a leaked
// abort listener or a harness seeing no wake changes no value), so they are pinned here.

/** Runs queued promise jobs (and what they queue). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function track(promise: Promise<unknown>): { state: string; reason?: unknown } {
  const seen: { state: string; reason?: unknown } = { state: 'pending' };
  promise.then(
    () => (seen.state = 'fulfilled'),
    (reason: unknown) => Object.assign(seen, { state: 'rejected', reason }),
  );
  return seen;
}

const abortListeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

/** Installs `hook` as the harness hook for the duration of `body`. */
async function withHook(hook: ScheduleHook, body: () => Promise<void>): Promise<void> {
  const previous = hookSlot[SCHEDULE_HOOK];
  hookSlot[SCHEDULE_HOOK] = hook;
  try {
    await body();
  } finally {
    hookSlot[SCHEDULE_HOOK] = previous;
  }
}

describe('Notify.wait', () => {
  it('rejects at once with the reason of an already aborted signal and registers nothing', async () => {
    const notify = new Notify();
    const reason = new Error('gone');
    const wait = notify.wait(AbortSignal.abort(reason));
    expect(notify.size).toBe(0);
    notify.notifyAll();
    await expect(wait).rejects.toBe(reason);
  });

  it('removes its abort listener when woken by notifyAll', async () => {
    const notify = new Notify();
    const controller = new AbortController();
    const wait = track(notify.wait(controller.signal));
    expect(abortListeners(controller.signal)).toBe(1);
    notify.notifyAll();
    expect(abortListeners(controller.signal)).toBe(0);
    controller.abort(new Error('late'));
    await flush();
    expect(wait.state).toBe('fulfilled');
  });

  it('removes its abort listener when its owner is cancelled', async () => {
    const notify = new Notify();
    const controller = new AbortController();
    const owner = {};
    const wait = track(notify.wait(controller.signal, owner));
    notify.cancel(owner);
    expect(abortListeners(controller.signal)).toBe(0);
    await flush();
    expect(wait.state).toBe('fulfilled');
  });

  it('leaves the list and removes its listener when its signal aborts', async () => {
    const notify = new Notify();
    const controller = new AbortController();
    const reason = new Error('stop');
    const wait = track(notify.wait(controller.signal));
    controller.abort(reason);
    expect(notify.size).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
    await flush();
    expect(wait).toEqual({ state: 'rejected', reason });
  });

  it('hands its wake-up to an installed harness hook, named wake, with the Notify as source', async () => {
    const notify = new Notify();
    const calls: [string | undefined, object | undefined][] = [];
    await withHook(
      (job, settle, source) => {
        calls.push([settle, source]);
        job();
      },
      async () => {
        const wait = track(notify.wait(undefined));
        notify.notifyAll();
        await flush();
        expect(calls).toEqual([['wake', notify]]);
        expect(wait.state).toBe('fulfilled');
      },
    );
  });

  it('hands its abort rejection to an installed harness hook, named wake, with the reason', async () => {
    const notify = new Notify();
    const controller = new AbortController();
    const reason = new Error('stop');
    const calls: [string | undefined, object | undefined][] = [];
    await withHook(
      (job, settle, source) => {
        calls.push([settle, source]);
        job();
      },
      async () => {
        const wait = track(notify.wait(controller.signal));
        controller.abort(reason);
        await flush();
        expect(calls).toEqual([['wake', notify]]);
        expect(wait).toEqual({ state: 'rejected', reason });
      },
    );
  });
});

describe('Notify.notifyAll', () => {
  it('wakes the others and rethrows a throwing callback error later', async () => {
    const notify = new Notify();
    const error = new Error('boom');
    const woken: string[] = [];
    const jobs: (() => void)[] = [];
    await withHook(
      (job) => jobs.push(job),
      async () => {
        notify.watch(() => {
          woken.push('a');
          throw error;
        });
        notify.watch(() => woken.push('b'));
        expect(() => notify.notifyAll()).not.toThrow();
      },
    );
    expect(woken).toEqual(['a', 'b']);
    expect(jobs).toHaveLength(1);
    expect(() => jobs[0]!()).toThrow(error);
  });
});

describe('Notify.cancel', () => {
  it('wakes only the waits of the given owner', async () => {
    const notify = new Notify();
    const a = {};
    const b = {};
    let watched = 0;
    const mine = track(notify.wait(undefined, a));
    const theirs = track(notify.wait(undefined, b));
    notify.watch(() => watched++);
    notify.cancel(a);
    await flush();
    expect(mine.state).toBe('fulfilled');
    expect(theirs.state).toBe('pending');
    expect(watched).toBe(0);
    expect(notify.size).toBe(2);
  });
});

describe('wakeSoon', () => {
  it('wakes once on a later promise job, never during the call', async () => {
    let woken = 0;
    wakeSoon(() => woken++);
    expect(woken).toBe(0);
    await flush();
    expect(woken).toBe(1);
  });

  it('does not wake once cancelled', async () => {
    let woken = 0;
    const cancel = wakeSoon(() => woken++);
    cancel();
    await flush();
    expect(woken).toBe(0);
    expect(() => cancel()).not.toThrow();
  });
});
