import type { Observer } from 'rxjs';
import { SendError, SenderDroppedError } from '../errors.js';
import { SENDER } from '../internal/brand.js';
import { disposeSymbol } from '../internal/disposable.js';
import { rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import { randomId, type Link } from './link.js';
import { NatsPermit } from './permit.js';
import { Pipeline, type Job } from './pipeline.js';

/** Most publishes of one sender on the wire at once (also bounded by the capacity). */
const MAX_IN_FLIGHT = 64;
const EMPTY = new Uint8Array(0);

const noop = (): void => {};
const asyncDisposeSymbol: symbol =
  (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/**
 * The sending half of a NATS channel, in one process: `mpsc.Sender<T>`'s words over JetStream.
 * Made by `await ch.sender()`; each one is registered (with a heartbeat) in the channel's
 * `rxc_<name>_live` bucket, and the receiver ends once every registered sender is gone.
 *
 * Several sends of one sender may be in flight at once (issue them without awaiting): up to
 * `min(capacity, 64)` publishes are on the wire together, and the server stores them in call
 * order. Each publish after the first on the wire carries
 * `Nats-Expected-Last-Msg-Id: <its predecessor's id>`, so when one is refused (the channel is
 * full) the later ones are refused too and sent again in order, never stored ahead of it. Each
 * carries `Nats-Msg-Id: <sender id>-<sequence>`, so a publish retried after a lost
 * acknowledgement is stored once (within the stream's two-minute duplicate window). See
 * "Sending" in docs/08-across-machines.md for the design.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * const ch = await jetstream.channel<number>(nc, name, { capacity: 4 });
 * const tx = await ch.sender();
 * const rx = await ch.receiver();
 * await tx.send(1);
 * await tx.drop();
 * await rx.recv(); // => 1
 * await rx.recv(); // => undefined
 * ```
 */
export class NatsSender<T> implements Observer<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [SENDER](): 'mpsc' {
    return 'mpsc';
  }

  /** This sender's id: the first part of its `Nats-Msg-Id` headers and its key `s.<id>`. */
  readonly id: string;
  readonly #link: Link<T>;
  readonly #pipeline: Pipeline<T>;
  #seq = 0;
  #dropped: Promise<void> | null = null;
  #beat: ReturnType<typeof setInterval> | undefined;
  #offReconnect: () => void = noop;
  #offClosed: () => void = noop;
  #beating: Promise<void> = Promise.resolve();

  /** @internal Settles once this sender's entry is written (the receiver can see it). */
  readonly ready: Promise<void>;

  /** @internal Made by `NatsChannel.sender()` and `clone()`. */
  constructor(link: Link<T>) {
    this.#link = link;
    this.id = randomId();
    this.#pipeline = new Pipeline(link, Math.min(link.config.capacity, MAX_IN_FLIGHT));
    link.acquire();
    const key = `s.${this.id}`;
    const beat = (): void => {
      if (this.#dropped === null) this.#beating = link.live.put(key, String(Date.now())).then(noop, noop);
      void link.pollClosed().catch(noop);
    };
    this.#beat = setInterval(beat, link.config.heartbeat);
    (this.#beat as { unref?: () => void }).unref?.();
    this.#offReconnect = link.onReconnect(beat);
    this.#offClosed = link.onClosed(() => this.#pipeline.failQueued());
    const offConnection = link.onConnectionClosed(() => clearInterval(this.#beat));
    const offClosed = this.#offClosed;
    this.#offClosed = () => {
      offClosed();
      offConnection();
    };
    const registration: Promise<void> = Promise.all([
      link.live.put(key, String(Date.now())),
      link.state.put('seen', '1'),
    ])
      .then(noop)
      .finally(() => link.registrations.delete(registration));
    link.registrations.add(registration);
    registration.catch(noop);
    this.ready = registration;
  }

  /**
   * Sends `value`: resolves once the server has stored it. While `capacity` values are stored
   * it waits, and retries as soon as a receiver acknowledges one (a notification on
   * `rxc.<name>.room`; without one, every `heartbeat` ms). During a disconnect it retries with
   * the same `Nats-Msg-Id` until the server answers.
   *
   * **Errors:** rejects {@link SendError} carrying `value` once the channel is closed (also
   * while waiting); {@link SenderDroppedError} after `drop()`; the codec's error if `encode`
   * throws; the client's error once the connection is closed for good.
   *
   * **Cancellation:** an abort while the send is queued here, or waiting for room after a
   * refusal, rejects with `signal.reason` and stores nothing. A publish already on the wire is
   * not recalled: the abort takes effect once the server has answered, and if it stored the
   * value the send resolves.
   */
  send(value: T, options?: WaitOptions): Promise<void> {
    return this.#enqueue(value, options, false).then(noop);
  }

  /**
   * Tries one publish in turn with the other sends of this sender: resolves `true` once stored,
   * `false` if the channel is full. Asynchronous, unlike `mpsc.Sender.trySend`: the server decides.
   *
   * **Errors:** as {@link NatsSender.send}.
   */
  trySend(value: T, options?: WaitOptions): Promise<boolean> {
    return this.#enqueue(value, options, true);
  }

  #enqueue(value: T, options: WaitOptions | undefined, tryOnly: boolean): Promise<boolean> {
    if (this.#dropped !== null) return Promise.reject(new SenderDroppedError());
    const bad = rejectBadSignal(options);
    if (bad !== null) return bad;
    if (this.#link.closedState !== null) return Promise.reject(new SendError(value));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let data: Uint8Array;
    try {
      data = this.#link.codec.encode(value);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#push(value, data, `${this.id}-${++this.#seq}`, signal, tryOnly);
  }

  #push(value: T, data: Uint8Array, msgID: string, signal: AbortSignal | undefined, tryOnly: boolean): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const job: Job<T> = { value, data, msgID, signal, tryOnly, resolve, reject, cleanup: noop, attempt: null, outcome: null, busy: false, epoch: 0, failures: 0 };
      if (signal !== undefined) {
        // A job not yet on the wire leaves at once; one the loop owns observes the signal there.
        const onAbort = (): void => {
          if (this.#pipeline.remove(job)) reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pipeline.push(job);
    });
  }

  /**
   * Reserves one slot: resolves with a {@link NatsPermit} once a placeholder holding the slot
   * is stored, in turn with this sender's other sends. While `capacity` values are stored it
   * waits, as `send` does. The permit's value is handed over at the placeholder's place in this
   * sender's order; see {@link NatsPermit} for what a permit guarantees across machines.
   *
   * **Errors:** rejects {@link SendError} (with `value` `undefined`) once the channel is
   * closed; {@link SenderDroppedError} after `drop()`; the client's error once the connection
   * is closed for good.
   *
   * **Cancellation:** as {@link NatsSender.send}: an abort before the placeholder is stored
   * rejects with `signal.reason` and holds no slot.
   *
   * @example
   * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
   * import { jetstream } from 'rxjs-channel/nats';
   * const ch = await jetstream.channel<number>(nc, name, { capacity: 4 });
   * const tx = await ch.sender();
   * const permit = await tx.reserve();
   * await tx.send(2);
   * await permit.send(1); // in the reserved place: before 2
   * await tx.drop();
   * const rx = await ch.receiver();
   * [await rx.recv(), await rx.recv()]; // => [1, 2]
   * ```
   */
  reserve(options?: WaitOptions): Promise<NatsPermit<T>> {
    if (this.#dropped !== null) return Promise.reject(new SenderDroppedError());
    const bad = rejectBadSignal(options);
    if (bad !== null) return bad;
    if (this.#link.closedState !== null) return Promise.reject(new SendError(undefined));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const msgID = `${this.id}-p${++this.#seq}`;
    const permit = new NatsPermit<T>(this.#link, msgID);
    // In call order with the other sends. A receiver that finds the placeholder before the
    // hold is written waits: it gives a slot up only after three heartbeats without a hold.
    const stored = this.#push(undefined as T, EMPTY, msgID, signal, false);
    return Promise.all([stored, permit.ready.catch(noop)])
      .then(
        () => permit,
        (error: unknown) => {
          permit.abandon();
          throw error;
        },
      );
  }

  /**
   * A new registered sender for the same channel, in this process. The channel stays open
   * until it too is dropped.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   */
  clone(): NatsSender<T> {
    if (this.#dropped !== null) throw new SenderDroppedError();
    return new NatsSender(this.#link);
  }

  /**
   * Releases this sender (idempotent): sends already issued still complete, then its entry in
   * the live bucket is deleted, so the receiver can end. The returned promise (which `using`
   * ignores and `await using` awaits) settles once the entry is deleted.
   */
  drop(): Promise<void> {
    if (this.#dropped !== null) return this.#dropped;
    const link = this.#link;
    this.#dropped = (async () => {
      await this.#pipeline.idle();
      clearInterval(this.#beat);
      this.#offReconnect();
      this.#offClosed();
      // A clone made just before must be visible before this one disappears.
      await Promise.allSettled([...link.registrations]);
      try {
        await this.#beating; // a beat still on the wire would bring the entry back
        if (!link.nc.isClosed()) await link.removeLive(`s.${this.id}`);
      } finally {
        link.release();
      }
    })();
    this.#dropped.catch(noop);
    return this.#dropped;
  }

  /** Same as {@link NatsSender.drop}, for `using tx = ...`. */
  [disposeSymbol](): void {
    void this.drop();
  }

  /** Same as {@link NatsSender.drop}, awaited, for `await using tx = ...`. */
  [asyncDisposeSymbol](): Promise<void> {
    return this.drop();
  }

  /** Whether this handle was dropped. */
  get isDropped(): boolean {
    return this.#dropped !== null;
  }

  /** Observer form of {@link NatsSender.send}; the refusal of a closed channel is silent. */
  next(value: T): void {
    this.send(value).catch(noop);
  }

  /**
   * Ends the channel for everyone with `reason`: sends reject {@link SendError}, and the
   * receiver, after draining what is stored, fails with a `RemoteChannelError` carrying the
   * reason's `name` and `message`. The first `error`/`close` wins.
   */
  error(reason: unknown): Promise<void> {
    if (this.#dropped !== null) return Promise.reject(new SenderDroppedError());
    const name = reason instanceof Error ? reason.name : 'Error';
    const message = reason instanceof Error ? reason.message : String(reason);
    return this.#link.close({ error: { name, message } });
  }

  /** Observer form of {@link NatsSender.drop}. */
  complete(): void {
    void this.drop();
  }

  /** Resolves when the channel is closed (by a receiver's `close()` or a sender's `error()`), in any process. */
  closed(): Promise<void> {
    return new Promise((resolve) => this.#link.onClosed(resolve));
  }

  /** Whether this process has seen the channel closed. */
  get isClosed(): boolean {
    return this.#link.closedState !== null;
  }

  /** The capacity the channel was created with. */
  get maxCapacity(): number {
    return this.#link.config.capacity;
  }
}
