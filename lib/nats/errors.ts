import { ChannelError } from '../errors.js';

/**
 * A NATS channel ended because a sender called `error(reason)`, possibly in another process.
 * The receiver raises it after draining what was stored, carrying the remote reason's `name`
 * and `message` (the reason itself cannot cross the wire).
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { RemoteChannelError } from 'rxjs-channel/nats';
 * const e = new RemoteChannelError('TypeError', 'bad input');
 * e.remoteName;    // => 'TypeError'
 * e.remoteMessage; // => 'bad input'
 * ```
 */
export class RemoteChannelError extends ChannelError {
  override name = 'RemoteChannelError';
  /** `name` of the reason the remote sender passed to `error()` (`'Error'` for a non-Error). */
  readonly remoteName: string;
  /** `message` of that reason (its `String()` for a non-Error). */
  readonly remoteMessage: string;

  /** @param remoteName - the remote reason's name. @param remoteMessage - its message. */
  constructor(remoteName: string, remoteMessage: string) {
    super(`a sender ended the channel with ${remoteName}: ${remoteMessage}`);
    this.remoteName = remoteName;
    this.remoteMessage = remoteMessage;
  }
}

/**
 * Opening a NATS channel with settings that conflict with the channel that already exists under
 * that name (another capacity, another kind ...). The message shows both; `existing` and
 * `requested` hold them as data.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { ChannelConfigError } from 'rxjs-channel/nats';
 * const e = new ChannelConfigError('users', { capacity: 3 }, { capacity: 5 });
 * e.message; // => 'channel "users" exists with {"capacity":3}; asked for {"capacity":5}'
 * ```
 */
export class ChannelConfigError extends ChannelError {
  override name = 'ChannelConfigError';
  /** The conflicting settings of the existing channel. */
  readonly existing: Readonly<Record<string, unknown>>;
  /** The settings that were asked for, where they differ. */
  readonly requested: Readonly<Record<string, unknown>>;

  constructor(channel: string, existing: Record<string, unknown>, requested: Record<string, unknown>) {
    super(`channel ${JSON.stringify(channel)} exists with ${JSON.stringify(existing)}; asked for ${JSON.stringify(requested)}`);
    this.existing = existing;
    this.requested = requested;
  }
}
