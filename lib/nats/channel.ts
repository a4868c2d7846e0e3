import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream as jetstreamClient, jetstreamManager, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ReceiverBusyError } from '../errors.js';
import { show } from '../internal/validate.js';
import type { Delivery } from './delivery.js';
import { ChannelConfigError } from './errors.js';
import { isWrongLastSequence, Link, randomId } from './link.js';
import { conflicts, resolveOptions, type AckMode, type NatsChannelOptions, type StoredConfig } from './options.js';
import { Pump } from './pump.js';
import { NatsReceiver } from './receiver.js';
import { NatsSender } from './sender.js';

const noop = (): void => {};
const NS_PER_MS = 1_000_000;

/**
 * An opened NATS channel: makes senders and receivers in this process. Open it with
 * `jetstream.channel` or `jetstream.workQueue`; `R` is what its receivers yield (`T`, or
 * `Delivery<T>` with `ack: 'manual'`).
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * const ch = await jetstream.channel<string>(nc, name, { capacity: 2 });
 * ch.config.capacity; // => 2
 * const tx = await ch.sender();
 * await tx.send('hi');
 * await (await ch.receiver()).recv(); // => 'hi'
 * await tx.drop();
 * await ch.destroy();
 * ```
 */
export class NatsChannel<T, R = T> {
  readonly #link: Link<T>;
  readonly #ack: AckMode;

  /** @internal Made by `jetstream.channel` / `jetstream.workQueue`. */
  constructor(link: Link<T>, ack: AckMode) {
    this.#link = link;
    this.#ack = ack;
  }

  /** The channel's name (also its stream's name). */
  get name(): string {
    return this.#link.name;
  }

  /** The settings stored with the channel (the first opener's). */
  get config(): StoredConfig {
    return this.#link.config;
  }

  /**
   * A new sender, registered in the live bucket before this resolves (so a receiver cannot end
   * before seeing it).
   */
  async sender(): Promise<NatsSender<T>> {
    const tx = new NatsSender(this.#link);
    try {
      await tx.ready;
    } catch (error) {
      void tx.drop();
      throw error;
    }
    return tx;
  }

  /**
   * A receiver. For `jetstream.channel`, one at a time across the cluster: while another live
   * one holds the channel's `r.lock`, this rejects {@link ReceiverBusyError}. For
   * `jetstream.workQueue`, any number share the work.
   */
  async receiver(): Promise<NatsReceiver<R>> {
    const link = this.#link;
    const id = randomId();
    const locked = link.config.kind === 'channel';
    if (locked) {
      try {
        await link.live.create('r.lock', id);
      } catch (error) {
        if (isWrongLastSequence(error)) {
          throw new ReceiverBusyError(`another receiver holds channel ${JSON.stringify(link.name)}`);
        }
        throw error;
      }
    }
    link.acquire();
    let released: Promise<void> | null = null;
    const release = (): Promise<void> =>
      (released ??= (async () => {
        try {
          if (locked && !link.nc.isClosed()) await link.removeLive('r.lock');
        } finally {
          link.release();
        }
      })());
    try {
      const consumer = await link.js.consumers.get(link.name, 'rx');
      const pump = new Pump<T>(link, this.#ack, () => void release().catch(noop));
      pump.start(consumer, () => {
        if (locked) void link.live.put('r.lock', id).catch(noop);
      });
      return new NatsReceiver<R>(link as Link<unknown>, pump as Pump<unknown>, release);
    } catch (error) {
      await release().catch(noop);
      throw error;
    }
  }

  /**
   * Deletes the channel's stream, consumer and KV buckets: every stored value is lost. For
   * tests and operations; handles still open fail or wait.
   */
  async destroy(): Promise<void> {
    const { jsm, name, nc } = this.#link;
    await jsm.streams.delete(name).catch(noop);
    const kvm = new Kvm(nc);
    for (const bucket of bucketNames(name)) {
      await kvm.open(bucket).then((kv) => kv.destroy(), noop);
    }
  }
}

function bucketNames(name: string): [state: string, live: string] {
  return [`rxc_${name}_state`, `rxc_${name}_live`];
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  return e?.name === 'StreamNotFoundError' || e?.name === 'ConsumerNotFoundError' || e?.code === 10059 || e?.code === 10014 || /not found/.test(String(e?.message));
}

/** Creates the stream, or checks that the existing one is this channel's. */
async function ensureStream(jsm: JetStreamManager, name: string, config: StoredConfig): Promise<void> {
  const wanted: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [`rxc.${name}.v`],
    retention: 'workqueue' as never,
    max_msgs: config.capacity,
    discard: 'new' as never,
    storage: 'file' as never,
  };
  let existing: StreamConfig;
  try {
    existing = (await jsm.streams.info(name)).config;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.streams.add(wanted);
      return;
    } catch (addError) {
      // Another process may have created it in between; compare with what it made.
      existing = (await jsm.streams.info(name).catch(() => Promise.reject(addError))).config;
    }
  }
  const have: Record<string, unknown> = {
    subjects: existing.subjects,
    retention: existing.retention,
    max_msgs: existing.max_msgs,
    discard: existing.discard,
  };
  const differ = Object.keys(have).filter((key) => JSON.stringify(have[key]) !== JSON.stringify(wanted[key as keyof StreamConfig]));
  if (differ.length > 0) {
    throw new ChannelConfigError(
      name,
      Object.fromEntries(differ.map((k) => [`stream.${k}`, have[k]])),
      Object.fromEntries(differ.map((k) => [`stream.${k}`, wanted[k as keyof StreamConfig]])),
    );
  }
}

async function ensureConsumer(jsm: JetStreamManager, name: string, config: StoredConfig): Promise<void> {
  try {
    await jsm.consumers.info(name, 'rx');
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await jsm.consumers.add(name, {
    durable_name: 'rx',
    ack_policy: 'explicit' as never,
    deliver_policy: 'all' as never,
    ack_wait: config.ackWait * NS_PER_MS,
    // A work queue's receivers share this one consumer; each bounds itself to `window`.
    max_ack_pending: config.kind === 'channel' ? config.window : Math.max(config.capacity, config.window),
  });
}

/** @internal Opens (creating as needed) the named channel. */
export async function open<T, R>(kind: StoredConfig['kind'], nc: NatsConnection, name: unknown, options: NatsChannelOptions<T>): Promise<NatsChannel<T, R>> {
  const resolved = resolveOptions<T>(kind, name, options);
  if (nc === null || typeof nc !== 'object' || typeof (nc as { publish?: unknown }).publish !== 'function') {
    throw new TypeError(`Expected \`nc\` to be a NatsConnection, got ${show(nc)}`);
  }
  const [stateName, liveName] = bucketNames(resolved.name);
  const jsm = await jetstreamManager(nc);
  const js = jetstreamClient(nc);
  const kvm = new Kvm(nc);
  const state = await kvm.create(stateName, { history: 1 });
  let stored = resolved.config;
  try {
    await state.create('config', JSON.stringify(stored));
  } catch (error) {
    if (!isWrongLastSequence(error)) throw error;
    const entry = await state.get('config');
    if (entry === null) throw error;
    stored = JSON.parse(entry.string()) as StoredConfig;
  }
  const conflict = conflicts(stored, resolved.explicit);
  if (conflict !== null) throw new ChannelConfigError(resolved.name, ...conflict);
  const live = await kvm.create(liveName, { history: 1, ttl: 3 * stored.heartbeat });
  await ensureStream(jsm, resolved.name, stored);
  await ensureConsumer(jsm, resolved.name, stored);
  const link = new Link<T>(nc, js, jsm, state, live, resolved.name, stored, resolved.codec);
  return new NatsChannel<T, R>(link, resolved.ack);
}

export type { Delivery };
