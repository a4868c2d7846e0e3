import { ChannelError } from '../errors.js';
import { disposeSymbol } from '../internal/disposable.js';
import type { Link } from './link.js';

const noop = (): void => {};
const asyncDisposeSymbol: symbol =
  (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/** Whether a `Nats-Msg-Id` is a permit's placeholder (`<sender id>-p<n>`) rather than a value. */
export function isPermitId(id: string): boolean {
  return /-p\d+$/.test(id);
}

/**
 * What a receiver that reached permit `id`'s placeholder finds: its value (`p.<id>` in the state
 * bucket); `'skip'` for a delete marker there (released) or, once `waitedMs` reaches three
 * heartbeats, for no hold either (`p.<id>` in the live bucket: its holder is gone); else
 * `'held'`. The value is read again after the hold, because a holder writes the value first and
 * then ends the hold.
 */
export async function readPermit(link: Link<unknown>, id: string, waitedMs: number): Promise<Uint8Array | 'held' | 'skip'> {
  const key = `p.${id}`;
  let entry = await link.state.get(key);
  if (entry === null) {
    const hold = await link.live.get(key);
    if ((hold !== null && hold.operation === 'PUT') || waitedMs < 3 * link.config.heartbeat) return 'held';
    entry = await link.state.get(key);
  }
  return entry === null || entry.operation !== 'PUT' ? 'skip' : entry.value;
}

/**
 * One slot of a NATS channel reserved by `NatsSender.reserve()`: a placeholder message stored
 * in the stream, at its place in the sender's order, counting against `capacity` like a value.
 *
 * What it guarantees across machines: the slot is held on the server, so {@link NatsPermit.send}
 * never waits for room, and the value is handed over at the placeholder's place in this
 * sender's order (the place of the `reserve()`, not of the `send()`). The value travels beside
 * the stream (a KV entry the receiver reads when it reaches the placeholder), so `send` needs the
 * server like any write: it can fail with the client's error during a disconnect (the permit is
 * then still held; send again).
 *
 * **Gotchas:** a receiver that reaches an unused permit's placeholder waits there (for a
 * `jetstream.channel`, the whole channel waits; a work queue's other receivers go on): use
 * permits briefly. A permit is kept alive by its own heartbeat; if its process dies, the slot is
 * given back three heartbeats later. An outstanding permit keeps the channel from ending.
 *
 * **Errors:** a second `send`/`release` rejects {@link ChannelError}. Disposal after use is a
 * no-op, so `await using permit = await tx.reserve()` is always safe.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * const ch = await jetstream.channel<string>(nc, name, { capacity: 1 });
 * const tx = await ch.sender();
 * const permit = await tx.reserve();
 * await tx.trySend('late'); // => false // the only slot is reserved
 * await permit.send('first');
 * await tx.drop();
 * await (await ch.receiver()).recv(); // => 'first'
 * ```
 */
export class NatsPermit<T> {
  readonly #link: Link<T>;
  readonly #key: string;
  readonly #beat: ReturnType<typeof setInterval>;
  readonly #offConnection: () => void;
  #used = false;
  #stopped = false;
  #beating: Promise<void> = Promise.resolve();
  /** @internal Settles once the permit's live entry is first written (the beat writes it again). */
  readonly ready: Promise<void>;

  /** @internal Permits are granted by `NatsSender.reserve()`; do not construct one. */
  constructor(link: Link<T>, id: string) {
    this.#link = link;
    this.#key = `p.${id}`;
    this.ready = link.live.put(this.#key, '1').then(noop);
    this.#beat = setInterval(() => {
      if (!this.#stopped) this.#beating = link.live.put(this.#key, '1').then(noop, noop);
    }, link.config.heartbeat);
    (this.#beat as { unref?: () => void }).unref?.();
    this.#offConnection = link.onConnectionClosed(() => this.#stop());
  }

  /**
   * Fills the reserved slot with `value`: resolves once it is written for the receiver. Never
   * waits for room, and works on a closed channel too (the slot was granted before the close).
   *
   * **Errors:** {@link ChannelError} if the permit was already used or released; the codec's
   * error; the client's error if the write fails (the permit stays held: send again).
   */
  async send(value: T): Promise<void> {
    this.#take('send');
    const link = this.#link;
    try {
      // The value first, then the end of the hold: a receiver that finds no hold reads again.
      await link.state.put(this.#key, link.codec.encode(value));
    } catch (error) {
      this.#used = false;
      throw error;
    }
    this.#stop();
    await this.#beating; // a beat still on the wire would bring the hold back
    await link.removeLive(this.#key).catch(noop);
    link.nc.publish(link.permitSubject);
  }

  /**
   * Gives the slot back unused: the receiver skips the placeholder and the room goes to a
   * waiting send.
   *
   * **Errors:** {@link ChannelError} if the permit was already used or released.
   */
  async release(): Promise<void> {
    this.#take('release');
    await this.#abandon();
  }

  /** @internal Ends the hold (a failed reserve, a release), leaving a "released" marker. */
  async #abandon(): Promise<void> {
    this.#stop();
    const link = this.#link;
    if (link.nc.isClosed()) return;
    // A delete marker tells a receiver at once (no entry at all only after three heartbeats).
    await link.state.delete(this.#key).catch(noop);
    await this.#beating;
    await link.removeLive(this.#key).catch(noop);
    link.nc.publish(link.permitSubject);
  }

  /** @internal A reserve that failed: the placeholder was not stored (or is skipped). */
  abandon(): void {
    this.#used = true;
    void this.#abandon();
  }

  /** Whether the permit was used or released. */
  get isUsed(): boolean {
    return this.#used;
  }

  /** Releases the slot if the permit is still unused; otherwise does nothing. */
  [disposeSymbol](): void {
    if (!this.#used) void this.release();
  }

  /** Same as the synchronous disposal, awaited, for `await using permit = ...`. */
  [asyncDisposeSymbol](): Promise<void> {
    return this.#used ? Promise.resolve() : this.release();
  }

  #take(what: string): void {
    if (this.#used) throw new ChannelError(`cannot ${what}: this permit was already used`);
    this.#used = true;
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#beat);
    this.#offConnection();
  }
}
