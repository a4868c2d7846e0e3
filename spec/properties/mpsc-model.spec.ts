/**
 * Model-based test: random sequences of operations run against a real channel and against a
 * plain-array model of the contract; after every step (and a microtask flush) the observable
 * state and the outcome of every promise must match.
 */
import fc from 'fast-check';
import { mpsc, SendError, SenderDroppedError } from 'rxjs-channel';
import { flush, propertyRuns } from '../helpers.js';

type Op =
  | { op: 'trySend'; h: number }
  | { op: 'send'; h: number; abortable: boolean }
  | { op: 'reserve'; h: number; abortable: boolean }
  | { op: 'tryReserve'; h: number }
  | { op: 'permitSend'; p: number }
  | { op: 'permitRelease'; p: number }
  | { op: 'tryRecv' }
  | { op: 'recv'; abortable: boolean }
  | { op: 'recvMany'; limit: number }
  | { op: 'abort'; w: number }
  | { op: 'clone'; h: number }
  | { op: 'drop'; h: number }
  | { op: 'close' };

/** What a promise settled with, in a comparable form. */
type Outcome =
  | 'pending'
  | { ok: unknown }
  | { err: 'SendError'; value: unknown }
  | { err: 'SenderDroppedError' }
  | { err: 'aborted' };

const ABORTED = new Error('aborted');

function describeError(error: unknown): Outcome {
  if (error instanceof SendError) return { err: 'SendError', value: error.value };
  if (error instanceof SenderDroppedError) return { err: 'SenderDroppedError' };
  if (error === ABORTED) return { err: 'aborted' };
  throw error;
}

const PERMIT = { permit: true };

/** The contract, restated over plain arrays. */
class Model {
  buffer: number[] = [];
  reserved = 0;
  strong: boolean[] = [true];
  closed = false;
  /** Waiting sends and reserves, oldest first; `id` names the promise. */
  senders: { id: number; kind: 'send' | 'reserve'; value: number }[] = [];
  /** Waiting receives, oldest first. */
  receivers: { id: number; limit: number | undefined }[] = [];
  outcomes = new Map<number, Outcome>();

  constructor(readonly bound: number) {}

  get capacity(): number {
    return this.bound - this.buffer.length - this.reserved;
  }
  get strongCount(): number {
    return this.strong.filter(Boolean).length;
  }
  get finished(): boolean {
    return (this.closed || this.strongCount === 0) && this.reserved === 0 && this.senders.length === 0;
  }

  /**
   * The batch of a woken recvMany: values accepted before its continuation runs (before the
   * next flush) join it, up to its limit.
   */
  batch: { values: number[]; limit: number } | null = null;

  accept(value: number): void {
    const r = this.receivers.shift();
    if (r !== undefined) {
      if (r.limit === undefined) this.outcomes.set(r.id, { ok: value });
      else {
        const values = [value];
        this.outcomes.set(r.id, { ok: values });
        if (r.limit > 1) this.batch = { values, limit: r.limit };
      }
    } else if (this.batch !== null) {
      this.batch.values.push(value);
      if (this.batch.values.length >= this.batch.limit) this.batch = null;
    } else this.buffer.push(value);
  }

  /** A flush ran the batch's continuation: later values go to the buffer. */
  flushed(): void {
    this.batch = null;
  }

  grant(): void {
    while (this.senders.length > 0 && this.capacity > 0) {
      const w = this.senders.shift()!;
      if (w.kind === 'send') {
        this.accept(w.value);
        this.outcomes.set(w.id, { ok: undefined });
      } else {
        this.reserved++;
        this.outcomes.set(w.id, { ok: PERMIT });
      }
    }
  }

  settle(): void {
    this.grant();
    if (this.finished && this.buffer.length === 0) {
      for (const r of this.receivers.splice(0)) this.outcomes.set(r.id, { ok: r.limit === undefined ? undefined : [] });
    }
  }

  take(limit: number): number[] {
    const taken = this.buffer.splice(0, limit);
    this.grant();
    return taken;
  }
}

interface Real {
  tx: mpsc.Sender<number>[];
  rx: mpsc.Receiver<number>;
  permits: mpsc.Permit<number>[];
  modelPermits: boolean[]; // still usable, per the model
  aborts: Map<number, AbortController>;
  outcomes: Map<number, Outcome>;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('trySend' as const), h: fc.nat(7) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('send' as const), h: fc.nat(7), abortable: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('reserve' as const), h: fc.nat(7), abortable: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('tryReserve' as const), h: fc.nat(7) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('permitSend' as const), p: fc.nat(7) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('permitRelease' as const), p: fc.nat(7) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('tryRecv' as const) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('recv' as const), abortable: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('recvMany' as const), limit: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('abort' as const), w: fc.nat(15) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('clone' as const), h: fc.nat(7) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('drop' as const), h: fc.nat(7) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('close' as const) }), weight: 1 },
);

function track(real: Real, id: number, promise: Promise<unknown>): void {
  real.outcomes.set(id, 'pending');
  promise.then(
    (value) => real.outcomes.set(id, { ok: value instanceof Object && 'send' in (value as object) ? PERMIT : value }),
    (error: unknown) => real.outcomes.set(id, describeError(error)),
  );
}

/** Runs one operation on both sides; synchronous results are compared here. */
function step(model: Model, real: Real, o: Op, nextValue: () => number, nextId: () => number): void {
  const handle = (h: number): number => h % model.strong.length;
  const signalFor = (id: number, abortable: boolean): AbortSignal | undefined => {
    if (!abortable) return undefined;
    const ac = new AbortController();
    real.aborts.set(id, ac);
    return ac.signal;
  };
  switch (o.op) {
    case 'trySend': {
      const h = handle(o.h);
      const v = nextValue();
      let actual: unknown;
      try {
        actual = real.tx[h]!.trySend(v);
      } catch (error) {
        actual = describeError(error);
      }
      let expected: unknown;
      if (!model.strong[h]) expected = { err: 'SenderDroppedError' };
      else if (model.closed) expected = { err: 'SendError', value: v };
      else if (model.capacity > 0) {
        model.accept(v);
        expected = true;
      } else expected = false;
      expect(actual).toEqual(expected);
      break;
    }
    case 'send': {
      const h = handle(o.h);
      const v = nextValue();
      const id = nextId();
      track(real, id, real.tx[h]!.send(v, { signal: signalFor(id, o.abortable) }));
      if (!model.strong[h]) model.outcomes.set(id, { err: 'SenderDroppedError' });
      else if (model.closed) model.outcomes.set(id, { err: 'SendError', value: v });
      else if (model.capacity > 0) {
        model.accept(v);
        model.outcomes.set(id, { ok: undefined });
      } else {
        model.senders.push({ id, kind: 'send', value: v });
        model.outcomes.set(id, 'pending');
      }
      break;
    }
    case 'reserve': {
      const h = handle(o.h);
      const id = nextId();
      const promise = real.tx[h]!.reserve({ signal: signalFor(id, o.abortable) });
      track(real, id, promise);
      promise.then(
        (p) => {
          real.permits.push(p);
          real.modelPermits.push(true);
        },
        () => {},
      );
      if (!model.strong[h]) model.outcomes.set(id, { err: 'SenderDroppedError' });
      else if (model.closed) model.outcomes.set(id, { err: 'SendError', value: undefined });
      else if (model.capacity > 0) {
        model.reserved++;
        model.outcomes.set(id, { ok: PERMIT });
      } else {
        model.senders.push({ id, kind: 'reserve', value: -1 });
        model.outcomes.set(id, 'pending');
      }
      break;
    }
    case 'tryReserve': {
      const h = handle(o.h);
      let actual: unknown;
      try {
        const p = real.tx[h]!.tryReserve();
        if (p !== undefined) {
          real.permits.push(p);
          real.modelPermits.push(true);
        }
        actual = p === undefined ? undefined : PERMIT;
      } catch (error) {
        actual = describeError(error);
      }
      let expected: unknown;
      if (!model.strong[h]) expected = { err: 'SenderDroppedError' };
      else if (model.closed) expected = { err: 'SendError', value: undefined };
      else if (model.capacity > 0) {
        model.reserved++;
        expected = PERMIT;
      }
      expect(actual).toEqual(expected);
      break;
    }
    case 'permitSend':
    case 'permitRelease': {
      if (real.permits.length === 0) break;
      const i = o.p % real.permits.length;
      const permit = real.permits[i]!;
      const usable = real.modelPermits[i]!;
      const v = nextValue();
      let threw = false;
      try {
        if (o.op === 'permitSend') permit.send(v);
        else permit.release();
      } catch {
        threw = true;
      }
      expect(threw).toBe(!usable);
      if (usable) {
        real.modelPermits[i] = false;
        model.reserved--;
        if (o.op === 'permitSend') model.accept(v);
        model.settle();
      }
      break;
    }
    case 'tryRecv': {
      const actual = real.rx.tryRecv();
      const expected = model.buffer.length > 0 ? model.take(1)[0] : undefined;
      expect(actual).toBe(expected);
      break;
    }
    case 'recv':
    case 'recvMany': {
      const id = nextId();
      const limit = o.op === 'recvMany' ? o.limit : undefined;
      const signal = o.op === 'recv' ? signalFor(id, o.abortable) : undefined;
      track(real, id, limit === undefined ? real.rx.recv({ signal }) : real.rx.recvMany(limit, { signal }));
      if (model.buffer.length > 0) {
        const taken = model.take(limit ?? 1);
        model.outcomes.set(id, { ok: limit === undefined ? taken[0] : taken });
      } else if (model.finished) {
        model.outcomes.set(id, { ok: limit === undefined ? undefined : [] });
      } else {
        model.receivers.push({ id, limit });
        model.outcomes.set(id, 'pending');
      }
      break;
    }
    case 'abort': {
      const ids = [...real.aborts.keys()];
      if (ids.length === 0) break;
      const id = ids[o.w % ids.length]!;
      real.aborts.get(id)!.abort(ABORTED);
      real.aborts.delete(id);
      const s = model.senders.findIndex((w) => w.id === id);
      const r = model.receivers.findIndex((w) => w.id === id);
      if (s >= 0) model.senders.splice(s, 1);
      if (r >= 0) model.receivers.splice(r, 1);
      if (s >= 0 || r >= 0) model.outcomes.set(id, { err: 'aborted' });
      model.settle();
      break;
    }
    case 'clone': {
      const h = handle(o.h);
      let cloned: mpsc.Sender<number> | undefined;
      try {
        cloned = real.tx[h]!.clone();
      } catch (error) {
        expect(describeError(error)).toEqual({ err: 'SenderDroppedError' });
      }
      expect(cloned !== undefined).toBe(model.strong[h]);
      if (cloned !== undefined) {
        real.tx.push(cloned);
        model.strong.push(true);
      }
      break;
    }
    case 'drop': {
      const h = handle(o.h);
      real.tx[h]!.drop();
      model.strong[h] = false;
      model.settle();
      break;
    }
    case 'close': {
      real.rx.close();
      if (!model.closed) {
        model.closed = true;
        for (const w of model.senders.splice(0)) {
          model.outcomes.set(w.id, { err: 'SendError', value: w.kind === 'send' ? w.value : undefined });
        }
      }
      model.settle();
      break;
    }
  }
}

function check(model: Model, real: Real): void {
  const [tx0] = real.tx;
  expect({
    length: real.rx.length,
    isEmpty: real.rx.isEmpty,
    capacity: tx0!.capacity,
    isClosed: real.rx.isClosed,
    sendClosed: tx0!.isClosed,
    senderCount: real.rx.senderCount,
  }).toEqual({
    length: model.buffer.length,
    isEmpty: model.buffer.length === 0,
    capacity: model.capacity,
    isClosed: model.finished,
    sendClosed: model.closed,
    senderCount: model.strongCount,
  });
  expect(Object.fromEntries(real.outcomes)).toEqual(Object.fromEntries(model.outcomes));
  if (model.senders.length > 0) expect(model.capacity).toBeLessThanOrEqual(0);
}

describe('mpsc model', () => {
  it('matches an array model over random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(opArb, { maxLength: 60 }), async (bound, ops) => {
        const [tx, rx] = mpsc.channel<number>(bound);
        const model = new Model(bound);
        const real: Real = { tx: [tx], rx, permits: [], modelPermits: [], aborts: new Map(), outcomes: new Map() };
        let value = 0;
        let id = 0;
        for (const o of ops) {
          step(model, real, o, () => value++, () => id++);
          await flush();
          model.flushed();
          check(model, real);
        }
        // Drain: drop every sender, release every permit (also those granted while draining),
        // take every value: the waiting sends complete in order and the channel then ends.
        for (const t of real.tx) t.drop();
        model.strong.fill(false);
        model.settle();
        for (;;) {
          await flush();
          model.flushed();
          let released = false;
          for (let i = 0; i < real.permits.length; i++) {
            if (!real.modelPermits[i]) continue;
            real.permits[i]!.release();
            real.modelPermits[i] = false;
            model.reserved--;
            released = true;
          }
          model.settle();
          await flush();
          model.flushed();
          check(model, real);
          if (rx.length > 0) {
            expect(rx.tryRecv()).toBe(model.take(1)[0]);
            model.settle();
          } else if (!released && model.senders.length === 0) break;
        }
        expect(rx.isClosed).toBe(true);
        expect(await rx.recv()).toBeUndefined();
        expect([...real.outcomes.values()]).not.toContain('pending');
      }),
      { numRuns: propertyRuns(1000) },
    );
  }, 60_000);
});
