/**
 * Scheduler properties across ports. Senders and receivers are local or opened from real
 * `MessageChannel` ports in this thread (the same transport as between threads), receivers
 * move again part way; fast-check's scheduler picks the order in which each party takes its
 * next step, while port messages arrive as the runtime delivers them. Checked: no loss, no
 * duplicate, per-producer order, the bound (values whose send resolved and not yet received
 * never exceed the capacity), and liveness (every send resolves, or rejects once the receiver
 * closed: a run that stops making progress fails).
 */
import fc from 'fast-check';
import { mpmc, mpsc, oneshot, RecvError, SendError } from 'rxjs-channel';

/** Runs per property: modest by default (the file stays well under 30 s); raise it to hunt. */
const RUNS = Number(process.env.THREAD_PROPERTY_RUNS ?? 50);
jest.setTimeout(Math.max(30_000, RUNS * 100));

/**
 * Runs the scheduler until `done` settles: a scheduled step when there is one, else one
 * macrotask so port messages arrive. Fails if nothing is scheduled for many turns in a row
 * while `done` is still pending (a send or receive that never settles).
 */
async function drive(s: fc.Scheduler, done: Promise<unknown>): Promise<void> {
  let finished = false;
  let failure: { error: unknown } | null = null;
  done.then(
    () => (finished = true),
    (error: unknown) => ((finished = true), (failure = { error })),
  );
  let idle = 0;
  while (!finished) {
    if (s.count() !== 0) {
      idle = 0;
      await s.waitOne();
    } else {
      if (++idle > 2_000) throw new Error(`no progress: a party waits for ever\n${s.report().map((t) => t.label).join('\n')}`);
      await new Promise((next) => setImmediate(next));
    }
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}

const step = (s: fc.Scheduler, label: string): Promise<void> => s.schedule(Promise.resolve(), label);

interface MpscPlan {
  capacity: number;
  producers: { count: number; remote: boolean }[];
  remoteReceiver: boolean;
  /** Receive counts after which the (remote) receiver moves on. */
  moves: number[];
  /** Receive count after which the receiver closes (it drains what is left). */
  closeAfter: number | null;
}

const mpscPlan: fc.Arbitrary<MpscPlan> = fc.record({
  capacity: fc.integer({ min: 1, max: 4 }),
  producers: fc.array(fc.record({ count: fc.integer({ min: 0, max: 10 }), remote: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  remoteReceiver: fc.boolean(),
  moves: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
  closeAfter: fc.option(fc.integer({ min: 0, max: 15 })),
});

describe('mpsc across ports under a random scheduler', () => {
  it('delivers exactly the values whose send resolved, once, in per-producer order, within the bound', async () => {
    let moved = 0;
    let closed = 0;
    await fc.assert(
      fc.asyncProperty(mpscPlan, fc.scheduler(), async (plan, s) => {
        const [tx, rx] = mpsc.channel<string>(plan.capacity);
        let resolved = 0;
        const sent = new Set<string>();
        const refused = new Set<string>();
        const received: string[] = [];

        const senders = plan.producers.map((p) => (p.remote ? mpsc.senderFromPort<string>(tx.clone().intoPort()) : tx.clone()));
        tx.drop();
        const producer = async (i: number, count: number, sender: mpsc.Sender<string>): Promise<void> => {
          using handle = sender;
          for (let n = 0; n < count; n++) {
            await step(s, `producer ${i} sends ${n}`);
            const value = `${i}:${n}`;
            try {
              await handle.send(value);
              sent.add(value);
              resolved++;
            } catch (error) {
              expect(error).toBeInstanceOf(SendError);
              refused.add(value);
              return;
            }
          }
        };
        const consumer = async (): Promise<void> => {
          let handle = plan.remoteReceiver ? mpsc.receiverFromPort<string>(rx.intoPort()) : rx;
          const moves = new Set(plan.moves);
          for (;;) {
            // Closing first, then moving in the same turn: the close must still reach the owner.
            if (received.length === plan.closeAfter && !handle.isClosed) {
              handle.close();
              closed++;
            }
            if (moves.has(received.length)) {
              moves.delete(received.length);
              handle = mpsc.receiverFromPort<string>(handle.intoPort());
              moved++;
            }

            await step(s, `consumer takes ${received.length}`);
            const v = await handle.recv();
            if (v === undefined) return;
            received.push(v);
            // Every value taken so far is counted here, so each resolved and unreceived
            // value holds a slot of the channel.
            expect(resolved - received.length).toBeLessThanOrEqual(plan.capacity);
            if (plan.remoteReceiver) expect(handle.length).toBeLessThanOrEqual(plan.capacity);
          }
        };
        const tasks = Promise.all([...plan.producers.map((p, i) => producer(i, p.count, senders[i]!)), consumer()]);
        await drive(s, tasks);

        expect(new Set(received).size).toBe(received.length); // no duplicate
        expect(new Set(received)).toEqual(sent); // no loss: exactly what resolved
        for (const v of refused) expect(received).not.toContain(v);
        plan.producers.forEach((_, i) => {
          const mine = received.filter((v) => v.startsWith(`${i}:`)).map((v) => Number(v.split(':')[1]));
          expect(mine).toEqual([...mine].sort((a, b) => a - b));
        });
        if (plan.closeAfter === null) expect(sent.size).toBe(plan.producers.reduce((n, p) => n + p.count, 0));
      }),
      { numRuns: RUNS },
    );
    expect(moved).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
  });
});

interface MpmcPlan {
  capacity: number;
  producers: { count: number; remote: boolean }[];
  /** Per consumer: a local handle, one opened from a port, or one that then moves on too. */
  consumers: ('local' | 'remote' | 'moving')[];
}

const mpmcPlan: fc.Arbitrary<MpmcPlan> = fc.record({
  capacity: fc.integer({ min: 1, max: 4 }),
  producers: fc.array(fc.record({ count: fc.integer({ min: 0, max: 10 }), remote: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  consumers: fc.array(fc.constantFrom('local', 'remote', 'moving'), { minLength: 1, maxLength: 3 }),
});

describe('mpmc across ports under a random scheduler', () => {
  it('gives every value to exactly one receiver, in per-producer order for each', async () => {
    await fc.assert(
      fc.asyncProperty(mpmcPlan, fc.scheduler(), async (plan, s) => {
        const [tx, rx] = mpmc.channel<string>(plan.capacity);
        const senders = plan.producers.map((p) => (p.remote ? mpsc.senderFromPort<string>(tx.clone().intoPort()) : tx.clone()));
        tx.drop();
        const handles = plan.consumers.map((kind) => (kind === 'local' ? rx.clone() : mpmc.receiverFromPort<string>(rx.clone().intoPort())));
        rx.drop();
        const received: string[][] = plan.consumers.map(() => []);
        let resolved = 0;
        const producer = async (i: number, count: number, sender: mpsc.Sender<string>): Promise<void> => {
          using handle = sender;
          for (let n = 0; n < count; n++) {
            await step(s, `producer ${i} sends ${n}`);
            await handle.send(`${i}:${n}`);
            resolved++;
          }
        };
        const consumer = async (c: number): Promise<void> => {
          let handle = handles[c]!;
          const got = received[c]!;
          for (;;) {
            if (plan.consumers[c] === 'moving' && got.length === 2) {
              handle = mpmc.receiverFromPort<string>(handle.intoPort());
              got.push('moved');
            }
            await step(s, `consumer ${c} takes`);
            const v = await handle.recv();
            if (v === undefined) return;
            got.push(v);
            const taken = received.flat().filter((x) => x !== 'moved').length;
            // Each other consumer may hold one value taken and not yet counted.
            expect(resolved - taken).toBeLessThanOrEqual(plan.capacity + plan.consumers.length - 1);
          }
        };
        await drive(s, Promise.all([...plan.producers.map((p, i) => producer(i, p.count, senders[i]!)), ...plan.consumers.map((_, c) => consumer(c))]));

        const all = received.flat().filter((v) => v !== 'moved');
        const expected = plan.producers.flatMap((p, i) => Array.from({ length: p.count }, (_, n) => `${i}:${n}`));
        expect(all.length).toBe(expected.length);
        expect([...all].sort()).toEqual([...expected].sort());
        for (const got of received) {
          plan.producers.forEach((_, i) => {
            const mine = got.filter((v) => v.startsWith(`${i}:`)).map((v) => Number(v.split(':')[1]));
            expect(mine).toEqual([...mine].sort((a, b) => a - b));
          });
        }
      }),
      { numRuns: RUNS },
    );
  });
});

interface OneshotPlan {
  senderMoves: number;
  receiverMoves: number;
  /** What the sender does, and after how many receiver moves. */
  end: 'send' | 'drop' | 'close';
  at: number;
}

const oneshotPlan: fc.Arbitrary<OneshotPlan> = fc.record({
  senderMoves: fc.integer({ min: 0, max: 2 }),
  receiverMoves: fc.integer({ min: 0, max: 3 }),
  end: fc.constantFrom('send', 'drop', 'close'),
  at: fc.integer({ min: 0, max: 3 }),
});

describe('oneshot across ports under a random scheduler', () => {
  it('the receiver, however often it moved, gets the value iff send returned true, else RecvError', async () => {
    await fc.assert(
      fc.asyncProperty(oneshotPlan, fc.scheduler(), async (plan, s) => {
        const [tx0, rx0] = oneshot.channel<number>();
        let tx = tx0;
        let rx = rx0;
        let accepted: boolean | null = null;
        const sender = async (): Promise<void> => {
          for (let i = 0; i < plan.senderMoves; i++) {
            await step(s, `sender moves ${i}`);
            tx = oneshot.senderFromPort<number>(tx.intoPort());
          }
          await step(s, 'sender ends');
          if (plan.end === 'send') accepted = tx.send(42);
          else if (plan.end === 'drop') tx.drop();
          else {
            await tx.closed();
            accepted = tx.send(42);
          }
        };
        const receiver = async (): Promise<string> => {
          for (let i = 0; i < plan.receiverMoves; i++) {
            await step(s, `receiver moves ${i}`);
            if (i === plan.at && plan.end === 'close') rx.close();
            rx = oneshot.receiverFromPort<number>(rx.intoPort());
          }
          await step(s, 'receiver waits');
          if (plan.end === 'close' && plan.at >= plan.receiverMoves) rx.close();
          return rx.then(String, (e: unknown) => {
            expect(e).toBeInstanceOf(RecvError);
            return 'RecvError';
          });
        };
        let outcome = '';
        await drive(
          s,
          Promise.all([sender(), receiver().then((o) => (outcome = o))]),
        );
        if (plan.end === 'send') expect(accepted).toBe(true);
        if (plan.end === 'close') expect(accepted).toBe(false);
        expect(outcome).toBe(accepted === true ? '42' : 'RecvError');
      }),
      { numRuns: RUNS },
    );
  });
});
