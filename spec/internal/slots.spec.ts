import { Slots, type Lend } from '../../lib/internal/slots.js';
import { WaiterList, type WaiterNode } from '../../lib/internal/waiter-list.js';

// Slots is the one place where a wake-up can be missed. Through the public API its `lend` hook
// is reached only by threads (spec/threads/, real workers) and its watchers only by select, and
// a grant that re-enters only by a subscriber that receives inside a send, so its own contract
// is pinned here with a subclass whose grants are recorded.
class Waiter implements WaiterNode {
  prev: WaiterNode | null = null;
  next: WaiterNode | null = null;
  list: WaiterList<WaiterNode> | null = null;
  constructor(
    readonly id: string,
    /** Runs inside the grant, as chan.ts hands a value straight to a waiting receive. */
    readonly during?: (slots: TestSlots) => void,
  ) {}
}

class TestSlots extends Slots<Waiter> {
  /** `enter x` and `exit x` around each grant, in the order they happen. */
  readonly log: string[] = [];

  protected get maxPending(): number {
    return Infinity;
  }

  protected grant(waiter: Waiter): void {
    this.log.push(`enter ${waiter.id}`);
    waiter.during?.(this);
    this.log.push(`exit ${waiter.id}`);
  }
}

/** A channel of `bound` slots with `taken` of them in use, `permits` and `lent` among them. */
function slots(bound: number, taken: number, permits = 0, lent = 0): TestSlots {
  const s = new TestSlots(bound);
  s.taken = taken;
  s.permits = permits;
  s.lent = lent;
  return s;
}

function lend(at: number): Lend & { wakes: number } {
  return {
    at,
    wakes: 0,
    wake() {
      this.wakes++;
    },
  };
}

describe('Slots', () => {
  describe('the lend hook', () => {
    // bound 6 with 1 permit and 1 lent slot: taken === permits + lent (2) means nothing is buffered.
    it.each([
      // [case, taken after the release, at, woken]
      ['is woken when the free slots reach `at` (free === at), values buffered', 4, 2, true],
      ['is woken when the free slots exceed `at`, values buffered', 3, 2, true],
      ['is not woken when the free slots fall one short of `at`, values buffered', 5, 2, false],
      ['is woken when the free slots fall short of `at` but nothing is buffered (taken === permits + lent)', 2, 5, true],
    ])('%s', (_case, takenAfter, at, woken) => {
      const s = slots(6, takenAfter + 1, 1, 1);
      const l = lend(at);
      s.lend = l;
      s.release(1);
      expect(s.taken).toBe(takenAfter);
      expect(l.wakes).toBe(woken ? 1 : 0);
      expect(s.lend).toBe(woken ? null : l);
    });

    it('is not woken while no slot is free, even with nothing buffered (taken === bound === permits + lent)', () => {
      const s = slots(2, 2, 1, 1);
      const l = lend(1);
      s.lend = l;
      s.dispatch();
      expect(l.wakes).toBe(0);
      expect(s.lend).toBe(l);
    });

    it('is not woken when the freed slot goes to a waiting party, and is woken by the next release', () => {
      const s = slots(2, 2);
      expect(s.enqueue(new Waiter('a'))).toBe(true);
      const l = lend(1);
      s.lend = l;
      s.release(1);
      expect(s.log).toEqual(['enter a', 'exit a']);
      expect(l.wakes).toBe(0);
      s.release(1);
      expect(l.wakes).toBe(1);
    });

    it('is cleared before its wake runs and woken once: a later release does not wake it again', () => {
      const s = slots(4, 4);
      let seen: Lend | null | undefined;
      let wakes = 0;
      s.lend = {
        at: 1,
        wake() {
          wakes++;
          seen = s.lend;
        },
      };
      s.release(1);
      expect(wakes).toBe(1);
      expect(seen).toBeNull();
      s.release(1);
      expect(wakes).toBe(1);
    });
  });

  describe('the select watchers', () => {
    it('are woken once when a release leaves a slot free: a spent wake is not called again', () => {
      const s = slots(2, 2);
      const wake = jest.fn();
      s.watch(wake);
      s.release(1);
      expect(wake).toHaveBeenCalledTimes(1);
      s.release(1);
      expect(wake).toHaveBeenCalledTimes(1);
    });

    it('are not woken when the freed slot goes to a waiting party, and stay registered for the next free slot', () => {
      const s = slots(1, 1);
      expect(s.enqueue(new Waiter('a'))).toBe(true);
      const wake = jest.fn();
      s.watch(wake);
      s.release(1);
      expect(s.log).toEqual(['enter a', 'exit a']);
      expect(s.free).toBe(0);
      expect(wake).not.toHaveBeenCalled();
      s.release(1);
      expect(wake).toHaveBeenCalledTimes(1);
    });

    it('are not woken by a dispatch that finds no slot free', () => {
      const s = slots(1, 1);
      const wake = jest.fn();
      s.watch(wake);
      s.dispatch();
      expect(wake).not.toHaveBeenCalled();
    });

    it('lose a wake whose watch was cancelled, and keep the others', () => {
      const s = slots(1, 1);
      const cancelled = jest.fn();
      const kept = jest.fn();
      const cancel = s.watch(cancelled);
      s.watch(kept);
      cancel();
      s.release(1);
      expect(cancelled).not.toHaveBeenCalled();
      expect(kept).toHaveBeenCalledTimes(1);
    });
  });

  describe('a grant that releases a slot (re-entrant dispatch)', () => {
    it('returns at once; the running loop grants the next waiter after the first grant returns, in FIFO order', () => {
      const s = slots(1, 1);
      s.enqueue(new Waiter('a', (self) => self.release(1)));
      s.enqueue(new Waiter('b', (self) => self.release(1)));
      s.enqueue(new Waiter('c'));
      s.release(1);
      expect(s.log).toEqual(['enter a', 'exit a', 'enter b', 'exit b', 'enter c', 'exit c']);
      expect(s.pending).toBe(0);
      expect(s.taken).toBe(1);
    });

    it('still wakes the lend and the watchers when only the re-entrant release leaves a slot free', () => {
      // One of the two slots is a granted permit, so nothing is buffered once the grant releases.
      const s = slots(2, 2, 1);
      s.enqueue(new Waiter('a', (self) => self.release(1)));
      const l = lend(2);
      s.lend = l;
      const wake = jest.fn();
      s.watch(wake);
      s.release(1);
      expect(s.log).toEqual(['enter a', 'exit a']);
      expect(s.free).toBe(1);
      expect(wake).toHaveBeenCalledTimes(1);
      // One free slot, short of `at`, but nothing is buffered: the receiver caught up.
      expect(l.wakes).toBe(1);
    });
  });
});
