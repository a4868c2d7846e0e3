/**
 * `rxjs-channel/nats`: the channels of this library across processes and hosts, on NATS
 * JetStream. The same words as in one process (`send`, `recv`, `drop`, `close`, `closed()`),
 * the same backpressure (a bound the server enforces) and the same ending (the receiver
 * completes once every sender, everywhere, is gone and everything stored was received).
 *
 * - `jetstream.channel<T>(nc, name, options)`: mpsc, one receiver at a time across the cluster.
 * - `jetstream.workQueue<T>(nc, name, options)`: mpmc, many receivers, each value to one of them.
 *
 * Mapping: a channel is a stream named `name` (retention `workqueue`, `max_msgs` = capacity,
 * `discard: new`) with one durable pull consumer `rx` (`max_ack_pending` = window), plus two KV
 * buckets: `rxc_<name>_state` (settings, closed state) and `rxc_<name>_live` (one entry per live
 * sender, refreshed every `heartbeat`, expiring after three). Delivery is at-least-once across
 * crashes, exactly-once within one receiver process while it runs. See `docs/08-across-machines.md`.
 *
 * `@nats-io/jetstream`, `@nats-io/kv` and `@nats-io/nats-core` are optional peer dependencies,
 * needed only by this entry; `rxjs-channel` itself never loads them. Any `NatsConnection`
 * (Node, WebSocket, Deno transports) works.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const users = await jetstream.channel<{ id: string }>(nc, name, { capacity: 100 });
 * const tx = await users.sender();
 * await tx.send({ id: 'bob' });
 * await tx.drop();
 * const rx = await users.receiver();
 * await lastValueFrom(rx.pipe(toArray())); // => [{ id: 'bob' }]
 * ```
 *
 * @module
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { open, type NatsChannel } from './channel.js';
import type { Delivery } from './delivery.js';
import type { NatsChannelOptions } from './options.js';

export { NatsChannel } from './channel.js';
export { NatsSender } from './sender.js';
export { NatsPermit } from './permit.js';
export { NatsReceiver } from './receiver.js';
export { Delivery } from './delivery.js';
export { ChannelConfigError, RemoteChannelError } from './errors.js';
export { jsonCodec, type AckMode, type Codec, type NatsChannelOptions, type StoredConfig } from './options.js';

/** Options with `ack: 'manual'`: receivers yield {@link Delivery} objects. */
export type ManualAckOptions<T> = NatsChannelOptions<T> & {
  /** Receivers yield `Delivery<T>` objects to `ack()` / `nak()`. */
  readonly ack: 'manual';
};

/** Opens a NATS channel of kind `kind`; see {@link jetstream}. */
export interface Opener {
  /** With `ack: 'manual'`: receivers yield `Delivery<T>`. */
  <T>(nc: NatsConnection, name: string, options: ManualAckOptions<T>): Promise<NatsChannel<T, Delivery<T>>>;
  /** Receivers yield `T`, acknowledged as they are handed over. */
  <T>(nc: NatsConnection, name: string, options: NatsChannelOptions<T>): Promise<NatsChannel<T, T>>;
}

/**
 * Channels on NATS JetStream.
 *
 * `channel` and `workQueue` create the named channel, or open it when it exists (idempotent,
 * also when several processes race to create it).
 *
 * **Errors:** a `name` that is not 1-64 characters of `A-Z a-z 0-9 _ -` rejects `TypeError`
 * showing it; a bad option `TypeError`/`RangeError`; settings (`capacity`, `window`, `ackWait`,
 * `heartbeat`, the kind) that conflict with the existing channel reject `ChannelConfigError`
 * showing both; server errors as the client raises them.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * const jobs = await jetstream.workQueue<number>(nc, name, { capacity: 10 });
 * const err = await jetstream.channel<number>(nc, name, { capacity: 20 }).catch((e: Error) => e.message);
 * err; // => `channel "${name}" exists with {"kind":"workQueue","capacity":10}; asked for {"kind":"channel","capacity":20}`
 * ```
 */
export const jetstream: {
  /** Creates or opens an mpsc channel: one receiver at a time across the cluster. */
  readonly channel: Opener;
  /** Creates or opens an mpmc work queue: many receivers, each value to one of them. */
  readonly workQueue: Opener;
} = Object.freeze({
  channel: ((nc: NatsConnection, name: string, options: NatsChannelOptions<unknown>) => open('channel', nc, name, options)) as Opener,
  workQueue: ((nc: NatsConnection, name: string, options: NatsChannelOptions<unknown>) => open('workQueue', nc, name, options)) as Opener,
});
