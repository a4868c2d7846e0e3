import { rethrowLater, schedule, scheduleHook } from './schedule.js';
import { WaiterList, type WaiterNode } from './waiter-list.js';

/**
 * A list of parties waiting for "something may have changed": promise waits (with abort
 * support) and one-shot callbacks (select's wakes, Observable deliveries). `notifyAll()`
 * wakes every one registered so far, once; each then re-checks the state it cares about.
 *
 * Kinds whose receivers each keep their own position (broadcast, watch, oneshot) use this
 * instead of a hand-off queue: a wake carries no value, so a wait that is woken and then
 * aborted (or a select branch that loses) consumes nothing.
 */
export class Notify {
  #list: WaiterList<Watcher> | null = null;

  /** Number of registered parties. */
  get size(): number {
    return this.#list === null ? 0 : this.#list.length;
  }

  /**
   * Calls `wake` once, at the next {@link Notify.notifyAll}. Returns the cancel function
   * (safe to call after the wake ran).
   */
  watch(wake: () => void): () => void {
    const node = new Watcher(wake, undefined, null);
    (this.#list ??= new WaiterList()).push(node);
    const list = this.#list;
    return () => list.remove(node);
  }

  /**
   * Resolves at the next {@link Notify.notifyAll}, or at {@link Notify.cancel} of `owner`;
   * rejects with `signal.reason` if the signal aborts first (or already has). The abort
   * listener is removed when the wait ends.
   */
  wait(signal: AbortSignal | undefined, owner: object | null = null): Promise<void> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      // With a test harness's hook installed, the wake-up goes through it (see schedule.ts).
      const hook = scheduleHook();
      const node = new Watcher(hook === undefined ? resolve : () => hook(resolve, 'wake', this), signal, owner);
      node.reject = hook === undefined ? reject : (reason) => hook(() => reject(reason), 'wake', this);
      (this.#list ??= new WaiterList()).push(node);
      if (signal !== undefined) signal.addEventListener('abort', node);
    });
  }

  /**
   * Wakes everyone registered before this call. Parties that register again while being woken
   * wait for the next notification. A throwing callback does not stop the others; its error
   * is rethrown asynchronously.
   */
  notifyAll(): void {
    const list = this.#list;
    if (list === null || list.length === 0) return;
    this.#list = null;
    for (let node = list.shift(); node !== null; node = list.shift()) {
      if (node.signal !== undefined) node.signal.removeEventListener('abort', node);
      try {
        node.wake();
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /** Wakes the waits of `owner` now (an iterator's `return()`): each re-checks and ends. */
  cancel(owner: object): void {
    const list = this.#list;
    if (list === null) return;
    const mine: Watcher[] = [];
    for (let node = list.peek(); node !== null; node = node.next as Watcher | null) if (node.owner === owner) mine.push(node);
    for (const node of mine) {
      list.remove(node);
      if (node.signal !== undefined) node.signal.removeEventListener('abort', node);
      node.wake();
    }
  }
}

/** One registration; its own abort listener (`handleEvent`), as the chan waiters are. */
class Watcher implements WaiterNode {
  prev: WaiterNode | null = null;
  next: WaiterNode | null = null;
  list: WaiterList<WaiterNode> | null = null;
  reject: ((reason: unknown) => void) | undefined = undefined;

  constructor(
    readonly wake: () => void,
    readonly signal: AbortSignal | undefined,
    readonly owner: object | null,
  ) {}

  handleEvent(): void {
    const list = this.list;
    if (list === null) return; // already woken: the abort changes nothing
    list.remove(this);
    this.signal!.removeEventListener('abort', this);
    this.reject!(this.signal!.reason);
  }
}

/**
 * A select watch on something already ready: wake on the next microtask (never during the
 * registration itself) unless cancelled first. Spurious wakes are allowed; missed ones are not.
 */
export function wakeSoon(wake: () => void): () => void {
  let live = true;
  schedule(() => {
    if (live) {
      live = false;
      wake();
    }
  });
  return () => {
    live = false;
  };
}
