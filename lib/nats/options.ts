import { checkInteger, checkOneOf, show } from '../internal/validate.js';

/** Turns values into bytes and back. The default is JSON in UTF-8. */
export interface Codec<T> {
  /** Serialises one value. */
  encode(value: T): Uint8Array;
  /** Reads back what `encode` wrote. */
  decode(bytes: Uint8Array): T;
}

/** When a receiver acknowledges a value to the server. */
export type AckMode = 'onReceive' | 'manual';

/** Options of `jetstream.channel` and `jetstream.workQueue`. */
export interface NatsChannelOptions<T> {
  /** Most values stored at once (integer >= 1): the stream's `max_msgs`, with `discard: new`. */
  readonly capacity: number;
  /** Serialisation; JSON by default. Local to this process (not stored with the channel). */
  readonly codec?: Codec<T>;
  /**
   * `'onReceive'` (default): a value is acknowledged when it is handed to the consumer.
   * `'manual'`: the receiver yields `Delivery<T>` objects to `ack()` / `nak()`. Local to this process.
   */
  readonly ack?: AckMode;
  /** Most values one receiver holds un-acknowledged (integer >= 1, default `capacity`). */
  readonly window?: number;
  /** Milliseconds an un-acknowledged value waits before it is delivered again (default 30 000). */
  readonly ackWait?: number;
  /**
   * Milliseconds between the liveness beats of each sender and receiver (default 5 000). A
   * process that stops beating is considered gone after three beats.
   */
  readonly heartbeat?: number;
}

/** The settings stored with a channel; every process opening it must agree on them. */
export interface StoredConfig {
  /** `'channel'` (mpsc: one receiver at a time) or `'workQueue'` (mpmc: many receivers). */
  readonly kind: 'channel' | 'workQueue';
  /** Most values stored at once: the stream's `max_msgs`. */
  readonly capacity: number;
  /** Most values one receiver holds un-acknowledged. */
  readonly window: number;
  /** Milliseconds an un-acknowledged value waits before it is delivered again. */
  readonly ackWait: number;
  /** Milliseconds between the liveness beats of each sender and receiver. */
  readonly heartbeat: number;
}

export interface Resolved<T> {
  readonly name: string;
  readonly config: StoredConfig;
  /** The settings the caller gave explicitly (compared against an existing channel). */
  readonly explicit: Partial<StoredConfig>;
  readonly codec: Codec<T>;
  readonly ack: AckMode;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The default codec: JSON in UTF-8. `undefined` is sent as `null`.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jsonCodec } from 'rxjs-channel/nats';
 * const codec = jsonCodec<{ id: string }>();
 * codec.decode(codec.encode({ id: 'bob' })); // => { id: 'bob' }
 * ```
 */
export function jsonCodec<T>(): Codec<T> {
  return {
    encode: (value) => encoder.encode(JSON.stringify(value) ?? 'null'),
    decode: (bytes) => JSON.parse(decoder.decode(bytes)) as T,
  };
}

/** Stream names may not hold `.`, `*`, `>`, whitespace or path separators; we also keep them to one subject token. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`Expected \`name\` to be 1-64 characters of A-Z, a-z, 0-9, _ or -, got ${show(name)}`);
  }
  return name;
}

export function resolveOptions<T>(kind: StoredConfig['kind'], name: unknown, options: unknown): Resolved<T> {
  const checkedName = checkName(name);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object with \`capacity\`, got ${show(options)}`);
  }
  const o = options as Partial<NatsChannelOptions<T>>;
  const capacity = checkInteger('capacity', o.capacity, 1);
  const explicit: Partial<Record<keyof StoredConfig, unknown>> = { kind, capacity };
  const pick = (key: 'window' | 'ackWait' | 'heartbeat', fallback: number, min: number): number => {
    if (o[key] === undefined) return fallback;
    return (explicit[key] = checkInteger(key, o[key], min));
  };
  const window = pick('window', capacity, 1);
  const ackWait = pick('ackWait', 30_000, 1);
  const heartbeat = pick('heartbeat', 5_000, 10);
  const ack = o.ack === undefined ? 'onReceive' : checkOneOf('ack', o.ack, ['onReceive', 'manual'] as const);
  const codec = o.codec ?? jsonCodec<T>();
  if (typeof codec !== 'object' || codec === null || typeof codec.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new TypeError(`Expected \`codec\` to be an object with encode and decode functions, got ${show(codec)}`);
  }
  return {
    name: checkedName,
    config: { kind, capacity, window, ackWait, heartbeat },
    explicit: explicit as Partial<StoredConfig>,
    codec,
    ack,
  };
}

/** The settings of `explicit` that differ from `stored`, as two records for the error message. */
export function conflicts(stored: StoredConfig, explicit: Partial<StoredConfig>): [Record<string, unknown>, Record<string, unknown>] | null {
  const existing: Record<string, unknown> = {};
  const requested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(explicit)) {
    const old = (stored as unknown as Record<string, unknown>)[key];
    if (old !== value) {
      existing[key] = old;
      requested[key] = value;
    }
  }
  return Object.keys(requested).length === 0 ? null : [existing, requested];
}
