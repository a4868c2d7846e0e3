/**
 * The ordered publisher of one NATS sender: several publishes on the wire at once, each sender's
 * values stored in call order, each stored once.
 *
 * Why it is sound (nats-server 2.9, `processJetStreamMsg`): the publishes of one connection
 * reach a stream in the order they were written, and the stream handles them one at a time. A
 * publish may still be refused (`discard: new` while `capacity` values are stored) and a later
 * one stored, if a receiver's acknowledgement made room in between: that would reorder. So every
 * publish but the first on the wire carries `Nats-Expected-Last-Msg-Id: <its predecessor's id>`.
 * The server stores it only if the stream's last stored message is that predecessor; a refused
 * predecessor (`lmsgId` is put back when a store fails) makes it, and every later one, refused
 * too (error 10070). By induction, a stored value's predecessors are all stored, before it: what
 * is stored of one sender is always a prefix of its sends, in order. The dedupe check
 * (`Nats-Msg-Id`) runs before the expectation, so a retry of a value stored earlier answers
 * "duplicate" (success) instead of a refusal, and a refusal means "not stored".
 *
 * After a refusal or an unknown outcome (timeout, disconnect) nothing more is sent until every
 * publish on the wire has answered; the last one stored says how far the prefix reaches, and the
 * first not stored is sent again, unconditionally (its predecessor is stored). Other senders'
 * values landing in between also refuse a conditional publish: the window halves then, drops to
 * one on a full channel or an unknown outcome, and grows by one per value stored, so contention
 * degrades to one publish per round trip (the unconditional head), never to a stall.
 */
import { SendError } from '../errors.js';
import { delay, type Link } from './link.js';

/** What one publish attempt came to. */
type Outcome =
  | { readonly kind: 'stored' }
  | { readonly kind: 'full' } // refused: `capacity` values are stored
  | { readonly kind: 'order' } // refused: the predecessor is not the stream's last message
  | { readonly kind: 'unknown'; readonly error: unknown } // timeout, disconnect: maybe stored
  | { readonly kind: 'fatal'; readonly error: unknown };

const STORED: Outcome = Object.freeze({ kind: 'stored' });
const FULL: Outcome = Object.freeze({ kind: 'full' });
const ORDER: Outcome = Object.freeze({ kind: 'order' });

export interface Job<T> {
  readonly value: T;
  readonly data: Uint8Array;
  readonly msgID: string;
  readonly signal: AbortSignal | undefined;
  readonly tryOnly: boolean;
  resolve(stored: boolean): void;
  reject(reason: unknown): void;
  cleanup(): void;
  /** The attempt on the wire, or null. */
  attempt: Promise<Outcome> | null;
  /** Its outcome once known (read synchronously, to settle a run of answers at once). */
  outcome: Outcome | null;
  /** Owned by the loop (on the wire, or the head being retried): an abort waits for the loop. */
  busy: boolean;
  /** The room epoch when the attempt was sent: a notice after it means "try again". */
  epoch: number;
  failures: number;
}

/** The server refused a publish because `max_msgs` values are stored (`discard: new`). */
export function isFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 10077 || /maximum messages exceeded/.test(String((error as Error)?.message));
}

function isWrongLastMsgId(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 10070 || /wrong last msg ID/i.test(String((error as Error)?.message));
}

/** The connection is gone for good: retrying cannot help. */
function isFatal(error: unknown): boolean {
  const name = (error as Error | null)?.name;
  return name === 'ClosedConnectionError' || name === 'DrainingConnectionError' || name === 'InvalidSubjectError';
}

export class Pipeline<T> {
  readonly #link: Link<T>;
  readonly #timeout: number;
  readonly #max: number;
  readonly #queue: Job<T>[] = [];
  /** How many jobs at the front of the queue are on the wire. */
  #sent = 0;
  #window: number;
  /** Settling a refusal: nothing more is sent until the head is retried. */
  #halted = false;
  #running = false;
  #idle: (() => void)[] = [];

  constructor(link: Link<T>, maxInFlight: number) {
    this.#link = link;
    this.#max = this.#window = maxInFlight;
    // A short timeout: a publish lost with a crashed server is retried (same id) soon.
    this.#timeout = Math.min(5_000, Math.max(1_000, 2 * link.config.heartbeat));
  }

  get running(): boolean {
    return this.#running;
  }

  /** Settles once no job is queued or on the wire. */
  idle(): Promise<void> {
    return this.#running ? new Promise((resolve) => this.#idle.push(resolve)) : Promise.resolve();
  }

  push(job: Job<T>): void {
    this.#queue.push(job);
    if (this.#running) this.#fill();
    else void this.#run();
  }

  /** Takes back a job not yet on the wire (an abort); false if the loop owns it. */
  remove(job: Job<T>): boolean {
    if (job.busy) return false;
    const at = this.#queue.indexOf(job);
    if (at < 0) return false;
    this.#queue.splice(at, 1);
    return true;
  }

  /** Refuses every job the loop does not own yet (the channel closed). */
  failQueued(): void {
    for (const job of this.#queue.filter((j) => !j.busy)) {
      this.remove(job);
      job.cleanup();
      job.reject(new SendError(job.value));
    }
  }

  #attempt(job: Job<T>, after: string | undefined): Promise<Outcome> {
    const link = this.#link;
    job.busy = true;
    job.epoch = link.roomEpoch;
    const options = { msgID: job.msgID, timeout: this.#timeout, ...(after === undefined ? {} : { expect: { lastMsgID: after } }) };
    job.outcome = null;
    return link.js.publish(link.subject, job.data, options).then(
      () => (job.outcome = STORED),
      (error: unknown): Outcome => {
        if (isFull(error)) return (job.outcome = FULL);
        if (isWrongLastMsgId(error)) return (job.outcome = ORDER);
        if (isFatal(error) || link.nc.isClosed()) return (job.outcome = { kind: 'fatal', error });
        return (job.outcome = { kind: 'unknown', error });
      },
    );
  }

  /** Puts jobs on the wire up to the window, each conditional on its predecessor on the wire. */
  #fill(): void {
    const q = this.#queue;
    while (!this.#halted && this.#sent < q.length && this.#sent < this.#window) {
      const job = q[this.#sent];
      if (this.#link.closedState !== null) break;
      if (job.signal?.aborted) {
        // Aborted while the loop owned it (on the wire, then refused): it leaves now.
        q.splice(this.#sent, 1);
        this.#fail(job, job.signal.reason);
        continue;
      }
      job.attempt = this.#attempt(job, this.#sent === 0 ? undefined : q[this.#sent - 1].msgID);
      this.#sent++;
    }
  }

  #settle(job: Job<T>, stored: boolean): void {
    job.cleanup();
    job.resolve(stored);
  }

  #fail(job: Job<T>, reason: unknown): void {
    job.cleanup();
    job.reject(reason);
  }

  async #run(): Promise<void> {
    this.#running = true;
    const q = this.#queue;
    while (q.length > 0) {
      this.#fill();
      if (q.length === 0) break;
      if (this.#sent === 0) {
        // The head could not be sent: the channel is closed.
        const head = q.shift() as Job<T>;
        this.#fail(head, new SendError(head.value));
        continue;
      }
      const first = await (q[0].attempt as Promise<Outcome>);
      if (first.kind === 'stored') {
        // Answers come in bursts (one socket read): settle every stored one known now before
        // sending more, so that the refill is one write, not one per value.
        do {
          this.#sent--;
          this.#settle(q.shift() as Job<T>, true);
          if (this.#window < this.#max) this.#window++;
        } while (this.#sent > 0 && q[0].outcome?.kind === 'stored');
        continue;
      }
      // Let everything on the wire answer; the last one stored ends the stored prefix.
      this.#halted = true;
      const onWire = q.slice(0, this.#sent);
      const outcomes = await Promise.all(onWire.map((job) => job.attempt as Promise<Outcome>));
      const stored = outcomes.map((o) => o.kind).lastIndexOf('stored');
      for (const job of onWire) {
        job.attempt = null;
        job.busy = false;
      }
      this.#sent = 0;
      q.splice(0, stored + 1);
      for (const job of onWire.slice(0, stored + 1)) this.#settle(job, true);
      // Aborted while on the wire and not stored (or not known to be): they leave now, before
      // the retry, so that an abort during an outage is bounded by one publish timeout.
      for (const job of onWire.slice(stored + 1)) {
        if (job.signal?.aborted && this.remove(job)) this.#fail(job, job.signal.reason);
      }
      const head = q[0] === onWire[stored + 1] ? q[0] : undefined;
      if (head !== undefined) {
        head.busy = true;
        try {
          await this.#recover(head, outcomes[stored + 1]);
        } finally {
          head.busy = false;
        }
      }
      this.#halted = false;
    }
    this.#running = false;
    for (const wake of this.#idle.splice(0)) wake();
  }

  /** The head was not stored (or may not be): decides whether and when it is sent again. */
  async #recover(head: Job<T>, outcome: Outcome): Promise<void> {
    const link = this.#link;
    const done = (): void => void this.#queue.shift();
    try {
      if (outcome.kind === 'full') {
        this.#window = 1;
        if (head.tryOnly) return void (done(), this.#settle(head, false));
        await link.waitRoom(head.epoch, head.signal, link.config.heartbeat);
      } else if (outcome.kind === 'order') {
        this.#window = Math.max(1, this.#window >> 1);
      } else if (outcome.kind === 'fatal') {
        return void (done(), this.#fail(head, outcome.error));
      } else if (outcome.kind === 'unknown') {
        // Timeout, no responders, JetStream not ready after a restart: the same id again.
        this.#window = 1;
        await delay(Math.min(50 * 2 ** head.failures++, 1_000), head.signal);
      }
    } catch (reason) {
      // Aborted while waiting: a refused head stores nothing (an unknown one: see the guide).
      done();
      this.#fail(head, reason);
    }
  }
}
