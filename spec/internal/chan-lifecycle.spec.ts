/**
 * The shared channel state behind mpsc and mpmc (lib/internal/chan.ts): how a waiting party's
 * settlement goes through a test harness's hook, and the drop policies when every slot is held
 * by a permit.
 */
import { Chan, type ChanConfig, type Sink } from '../../lib/internal/chan.js';
import { mpsc, SendError } from '../../lib/index.js';
import { installHook } from '../../lib/testing/hook.js';
import { stateOf } from '../helpers.js';

interface Settlement {
  settle: string | undefined;
  source: object | undefined;
}

/** Installs a hook that records each settlement and runs it at once; returns the record and the uninstall. */
function recordingHook(): { seen: Settlement[]; uninstall: () => void } {
  const seen: Settlement[] = [];
  const uninstall = installHook((job, settle, source) => {
    seen.push({ settle, source });
    job();
  });
  return { seen, uninstall };
}

describe('a waiting party settles through the installed schedule hook', () => {
  let uninstall: (() => void) | undefined;
  afterEach(() => {
    uninstall?.();
    uninstall = undefined;
  });

  it("names a waiting send's hand-off 'send'", async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const hook = recordingHook();
    uninstall = hook.uninstall;
    const blocked = tx.send(2);
    expect(rx.tryRecv()).toBe(1);
    await expect(blocked).resolves.toBeUndefined();
    expect(hook.seen.map((s) => s.settle)).toStrictEqual(['send']);
    expect(typeof hook.seen[0]!.source).toBe('object');
  });

  it("names a waiting reserve's grant 'reserve'", async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const hook = recordingHook();
    uninstall = hook.uninstall;
    const blocked = tx.reserve();
    expect(rx.tryRecv()).toBe(1);
    const permit = await blocked;
    permit.send(7);
    expect(hook.seen.map((s) => s.settle)).toStrictEqual(['reserve']);
    expect(rx.tryRecv()).toBe(7);
  });

  it("names a waiting receive's hand-off 'recv', with the channel's state as its source", async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const hook = recordingHook();
    uninstall = hook.uninstall;
    const first = rx.recv();
    tx.trySend(1);
    await expect(first).resolves.toBe(1);
    tx.trySend(0);
    const sendHook = recordingHook(); // a second wait on the same channel names the same source
    const blocked = tx.send(2);
    expect(rx.tryRecv()).toBe(0);
    await blocked;
    sendHook.uninstall();
    expect(hook.seen.map((s) => s.settle)).toStrictEqual(['recv']);
    expect(sendHook.seen.map((s) => s.settle)).toStrictEqual(['send']);
    expect(hook.seen[0]!.source).toBe(sendHook.seen[0]!.source);
  });

  it("names a waiting batch receive's hand-off 'recv'", async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const hook = recordingHook();
    uninstall = hook.uninstall;
    const batch = rx.recvMany(4);
    tx.trySend(1);
    await expect(batch).resolves.toStrictEqual([1]);
    expect(hook.seen.map((s) => s.settle)).toStrictEqual(['recv']);
  });

  it('rejects a waiting send through the hook, with SendError carrying the value, when the receiver closes', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const hook = recordingHook();
    uninstall = hook.uninstall;
    const blocked = tx.send(2);
    rx.close();
    const state = await stateOf(blocked);
    expect(state.state).toBe('rejected');
    const error = (state as { reason: unknown }).reason;
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError<number>).value).toBe(2);
    expect(hook.seen.map((s) => s.settle)).toStrictEqual(['send']);
  });

  it('rejects a waiting receive through the hook with the abort reason', async () => {
    const [, rx] = mpsc.channel<number>(1);
    const hook = recordingHook();
    uninstall = hook.uninstall;
    const controller = new AbortController();
    const reason = new Error('gave up');
    const waiting = rx.recv({ signal: controller.signal });
    controller.abort(reason);
    expect(await stateOf(waiting)).toStrictEqual({ state: 'rejected', reason });
    expect(hook.seen.map((s) => s.settle)).toStrictEqual(['recv']);
  });
});

describe('dropOldest when every slot is held by a permit', () => {
  it('drops the new value (nothing buffered to evict) and hands it to onDrop', async () => {
    const dropped: unknown[] = [];
    const [tx, rx] = mpsc.channel<number>(1, { overflow: 'dropOldest', onDrop: (v) => dropped.push(v) });
    tx.trySend(1);
    expect(rx.tryRecv()).toBe(1); // the buffer exists and is empty now
    const permit = tx.tryReserve()!;
    expect(tx.trySend(2)).toBe(false);
    expect(dropped).toStrictEqual([2]);
    permit.send(3);
    expect(rx.tryRecv()).toBe(3);
    expect(rx.tryRecv()).toBeUndefined();
    await Promise.resolve();
  });
});

describe('a sink whose error handler throws', () => {
  // Outside the Sink contract (an RxJS subscriber never throws from `error`), so only the Chan
  // class itself can show it: the throw escapes the delivery with values still buffered, and
  // the next value that reaches the channel delivers them in order.
  const config: ChanConfig<number> = { overflow: 'wait', onDrop: undefined, maxPendingSends: Infinity, permit: () => ({}) };

  it('delivers what was left buffered, then the new value, on the next send', () => {
    const chan = new Chan<number>(4, config);
    chan.trySend(1);
    chan.trySend(2);
    const seen: number[] = [];
    let fail = true;
    const sink: Sink<number> = {
      next(value) {
        if (fail) {
          fail = false;
          throw new Error('next failed');
        }
        seen.push(value);
      },
      error(reason) {
        throw reason;
      },
      complete() {},
    };
    expect(() => (chan.sink = sink)).toThrow('next failed');
    expect(chan.length).toBe(1);
    expect(chan.trySend(3)).toBe(true);
    expect(seen).toStrictEqual([2, 3]);
    expect(chan.length).toBe(0);
  });
});
