import { schedule } from '../schedule.js';
import { show } from '../validate.js';

/**
 * The one transport of handles moved across threads: a `MessagePort` (Node `worker_threads`
 * or the browser's) carrying batches.
 *
 * Only the API both runtimes share is used: `postMessage`, `addEventListener('message')`,
 * `start()`, `close()` and the `'close'` event (Node: the other side closed its port or its
 * thread ended; Chromium: the same). Node's `ref()`/`unref()` are used where present, so an
 * idle port never keeps a thread alive.
 *
 * Batching: everything an endpoint has to say in one turn travels in one `postMessage`. The
 * flush runs once per turn, in the macrotask after the one that woke it (`setImmediate`, see
 * {@link tick}): a producer looping `await tx.send(v)` resolves each send at once while it
 * holds slots, so the whole run of sends shares one message, and a consumer's run of receives
 * returns its slots in one message. Nothing is scheduled per value: a wake after the first
 * of a turn costs a flag test. An endpoint whose batch reached {@link FULL} values posts at
 * once instead ({@link Link.flushNow}), so a producer that never yields to the event loop (an
 * unbounded channel, sends in a promise-job loop) neither holds its values back nor grows one
 * batch for ever. A resolved send is never lost with its thread: a thread that ends (even by
 * an uncaught exception) posts every pending batch from its `'exit'` listener
 * ({@link watchExit}); only `worker.terminate()` skips this.
 */

/** Values a batch holds before it is posted without waiting for the end of the turn. */
export const FULL = 1024;

/** The structural part of a `MessagePort` this library uses (Node's and the DOM's both fit). */
export interface PortLike {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  close(): void;
}

interface EventPort extends PortLike {
  addEventListener(type: string, listener: unknown): void;
  removeEventListener(type: string, listener: unknown): void;
  start?(): void;
  ref?(): void;
  unref?(): void;
}

/** Marks the first message on a port, naming what it carries. */
export const TAG = 'rxjs-channel/port';

/** What a port carries: a kind's sender or receiver, described by the end that made the port. */
export interface Hello {
  readonly tag: typeof TAG;
  /** `'queue'` for mpsc/mpmc senders (one class), else the kind. */
  readonly kind: string;
  readonly end: 'sender' | 'receiver';
  readonly bound: number;
  /** Whether remote sends take a slot first (a bounded channel under `'wait'`). */
  readonly slotted: boolean;
  readonly maxPending: number;
  /** Strong senders of the channel besides the one moving. */
  readonly others: number;
}

/** One batch: the union of everything an endpoint says in a turn (fields absent when unused). */
export interface Batch {
  /** Values (slotted). */
  v?: unknown[];
  /** Values that take no slot (an unbounded channel, a drop policy). */
  u?: unknown[];
  /** Receiver window opened, in values. */
  k?: number;
  /** Credits: slots granted (to a sender) or values consumed and acknowledged (by a receiver). */
  n?: number;
  /** A sender asks for this many more slots (negative: cancels asks). */
  w?: number;
  /** A sender returns this many unused slots. */
  r?: number;
  /** Strong sender count change. */
  d?: number;
  /** Strong senders of the channel elsewhere (informational, for counts). */
  o?: number;
  /** `error(reason)`: the reason, structured-cloned. */
  e?: [unknown];
  /** Closed: 1 = the receiving side closed (or the stream ended), 2 = the remote end let go. */
  x?: 1 | 2;
  /**
   * Handles moved further: a port per moved sender or receiver, adopted by the owner (a
   * receiver's with `x: 2`: the last handle there moved into the last port, which takes over).
   */
  p?: PortLike[];
}

/** What an endpoint supplies to its {@link Link}. */
export interface LinkHandler {
  onMessage(batch: Batch): void;
  /** Compose and post this turn's batch (through {@link Link.post}). */
  onFlush(): void;
  /** The other side is gone: its port closed or its thread ended. Called once. */
  onClose(): void;
}

const opened = /* @__PURE__ */ new WeakSet<object>();
/** The near end of each port pair made in this thread, by its far end (what `intoPort()` returned). */
const nearOf = /* @__PURE__ */ new WeakMap<object, object>();
/** The link serving each port in this thread. */
const linkOn = /* @__PURE__ */ new WeakMap<object, Link>();

type ReceiveSync = (port: unknown) => { message: unknown } | undefined;
let receiveSync: ReceiveSync | null | undefined;

/** Node's `receiveMessageOnPort`, looked up once; null where there is none (browsers). */
function receiveMessageOnPort(): ReceiveSync | null {
  if (receiveSync !== undefined) return receiveSync;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as { receiveMessageOnPort?: ReceiveSync } | undefined;
  return (receiveSync = threads?.receiveMessageOnPort ?? null);
}

function isPort(value: unknown): value is EventPort {
  if (value === null || typeof value !== 'object') return false;
  const port = value as Partial<EventPort>;
  return typeof port.postMessage === 'function' && typeof port.addEventListener === 'function' && typeof port.close === 'function';
}

function describe(kind: string, end: string): string {
  return `${kind === 'queue' ? 'an mpsc/mpmc' : kind.startsWith('mp') ? `an ${kind}` : `a ${kind}`} ${end}`;
}

/** Hellos read from ports that were then refused (a wrong kind): a second try reads them here. */
const refused = /* @__PURE__ */ new WeakMap<object, unknown>();

/**
 * Checks that `port` is an unopened port carrying `end` of one of `kinds`, and returns its
 * hello. Where the runtime can read a message synchronously (Node) a wrong port throws here;
 * elsewhere `check` is called again when the hello arrives.
 *
 * **Errors:** `TypeError` naming what was passed: not a port, a port already opened in this
 * thread, a port carrying another kind or the other end, a port carrying no handle.
 */
export function openPort(port: unknown, kinds: readonly string[], end: 'sender' | 'receiver'): { port: EventPort; hello: Hello | null } {
  const wanted = describe(kinds[0]!, end);
  if (!isPort(port)) throw new TypeError(`Expected \`port\` to be a MessagePort carrying ${wanted}, got ${show(port)}`);
  if (opened.has(port)) throw new TypeError(`Expected \`port\` to be a MessagePort carrying ${wanted}, got a port already opened`);
  const receive = receiveMessageOnPort();
  let hello: Hello | null = null;
  if (receive !== null) {
    let message: unknown;
    if (refused.has(port)) message = refused.get(port);
    else {
      const first = receive(port);
      message = first === undefined ? undefined : first.message;
      if (first !== undefined) refused.set(port, message);
    }
    checkHello(message, kinds, end);
    refused.delete(port);
    hello = message;
  }
  opened.add(port);
  return { port, hello };
}

/** Throws `TypeError` unless `message` is the hello of `end` of one of `kinds`. */
export function checkHello(message: unknown, kinds: readonly string[], end: 'sender' | 'receiver'): asserts message is Hello {
  const wanted = describe(kinds[0]!, end);
  const hello = message as Partial<Hello> | undefined;
  if (hello === undefined || hello === null || typeof hello !== 'object' || hello.tag !== TAG) {
    throw new TypeError(`Expected \`port\` to be a MessagePort carrying ${wanted}, got a port carrying no rxjs-channel handle`);
  }
  if (!kinds.includes(hello.kind!) || hello.end !== end) {
    throw new TypeError(`Expected \`port\` to be a MessagePort carrying ${wanted}, got a port carrying ${describe(hello.kind!, hello.end!)}`);
  }
}

/**
 * A new port pair whose far end carries `hello`: the near end is kept, the far end handed out.
 * With `null`, the hello is posted later by {@link greet}, before anything else on `near` (a
 * handle moved on before its own thread had the state its hello describes).
 */
export function portPair(hello: Omit<Hello, 'tag'> | null): { near: PortLike; far: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  if (hello !== null) greet(port1 as unknown as PortLike, hello);
  nearOf.set(port2, port1);
  return { near: port1 as unknown as PortLike, far: port2 };
}

/** Posts `hello` on `near`, the first message of a port made by `portPair(null)`. */
export function greet(near: PortLike, hello: Omit<Hello, 'tag'>): void {
  near.postMessage({ tag: TAG, ...hello });
}

/**
 * Treats the handle that moved through `far` (a port `intoPort()` returned in this thread) as
 * gone, as its thread ending would; `far` can no longer be opened here. Returns whether it was
 * still served. For runtimes whose ports fire no `close` event when the far thread dies.
 */
export function dropFar(far: object): boolean {
  opened.add(far);
  const near = nearOf.get(far);
  const link = near === undefined ? undefined : linkOn.get(near);
  if (link === undefined || link.closed) return false;
  link.farGone();
  return true;
}

/** Runs `job` in a later macrotask: `setImmediate` where there is one, else a port tick. */
const immediate = (globalThis as { setImmediate?: (job: () => void) => unknown }).setImmediate;
const tick: (job: () => void) => void =
  typeof immediate === 'function'
    ? (job) => void immediate(job)
    : (() => {
        const jobs: (() => void)[] = [];
        let channel: MessageChannel | null = null;
        return (job: () => void) => {
          if (channel === null) {
            channel = new MessageChannel();
            channel.port1.onmessage = () => {
              for (const run of jobs.splice(0)) run();
            };
          }
          jobs.push(job);
          if (jobs.length === 1) channel.port2.postMessage(0);
        };
      })();

export { tick };

/** Links with a batch not yet posted. */
const unflushed = /* @__PURE__ */ new Set<Link>();
let exitWatched = false;

/**
 * Posts every pending batch when the thread ends, even by an uncaught exception (Node runs
 * `process` `'exit'` listeners in a dying worker, and messages posted there are delivered):
 * a send that resolved is not lost with its thread. Only `worker.terminate()` skips this.
 */
function watchExit(): void {
  if (exitWatched) return;
  exitWatched = true;
  const proc = (globalThis as { process?: { once?: (event: string, listener: () => void) => void } }).process;
  proc?.once?.('exit', () => {
    for (const link of [...unflushed]) link.flushNow();
  });
}

/** A port and its endpoint: dispatches batches, flushes once a turn, notices the far side going. */
export class Link {
  readonly #port: EventPort;
  readonly #handler: LinkHandler;
  #scheduled = false;
  #closed = false;
  #held = true;
  /** The hello, when it had to be read asynchronously (no `receiveMessageOnPort`). */
  #expect: { kinds: readonly string[]; end: 'sender' | 'receiver'; then: (hello: Hello) => void } | null = null;

  constructor(port: PortLike, handler: LinkHandler) {
    this.#port = port as EventPort;
    this.#handler = handler;
    linkOn.set(port, this);
    this.#port.addEventListener('message', this);
    this.#port.addEventListener('close', this);
    this.#port.start?.();
    // Node refs a port for `on('message')` listeners only, not for addEventListener: say so.
    this.#port.ref?.();
  }

  /** Where the hello could not be read synchronously: check it when it comes, then `then`. */
  expectHello(kinds: readonly string[], end: 'sender' | 'receiver', then: (hello: Hello) => void): void {
    this.#expect = { kinds, end, then };
  }

  /** Whether the link is closed (by this side or the far side). */
  get closed(): boolean {
    return this.#closed;
  }

  /** @internal EventListener protocol. */
  handleEvent(event: { type: string; data?: unknown }): void {
    if (this.#closed) return;
    if (event.type === 'close') {
      this.#gone();
      return;
    }
    const expect = this.#expect;
    if (expect !== null) {
      this.#expect = null;
      try {
        checkHello(event.data, expect.kinds, expect.end);
      } catch (error) {
        this.#gone();
        schedule(() => {
          throw error;
        });
        return;
      }
      expect.then(event.data);
      return;
    }
    this.#handler.onMessage(event.data as Batch);
  }

  /** Asks for a flush at the end of this turn (once however often it is called). */
  wake(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    unflushed.add(this);
    watchExit();
    tick(this.#flush);
  }

  readonly #flush = (): void => {
    this.flushNow(); // a no-op if flushed early (a full batch, the thread's exit)
  };

  /**
   * Posts this turn's batch now: the endpoint's batch holds {@link FULL} values, or the thread
   * is ending (see {@link watchExit}). The flush asked for earlier then finds nothing to do.
   */
  flushNow(): void {
    if (!this.#scheduled) return;
    this.#scheduled = false;
    unflushed.delete(this);
    if (!this.#closed) this.#handler.onFlush();
  }

  /** Posts one message now; throws what `postMessage` throws (a `DataCloneError`). */
  post(message: Batch, transfer?: readonly unknown[]): void {
    if (this.#closed) return;
    if (transfer === undefined || transfer.length === 0) this.#port.postMessage(message);
    else this.#port.postMessage(message, transfer);
  }

  /** Whether this port keeps its thread alive (Node); idle ports do not. */
  hold(held: boolean): void {
    if (this.#held === held || this.#closed) return;
    this.#held = held;
    if (held) this.#port.ref?.();
    else this.#port.unref?.();
  }

  /** Closes this side: the far side sees `'close'` after the messages already posted. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    this.#port.close();
  }

  /** The far side is to be treated as gone, as if its port had closed (see {@link dropFar}). */
  farGone(): void {
    this.#gone();
  }

  #gone(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    this.#port.close();
    this.#handler.onClose();
  }

  #detach(): void {
    this.#port.removeEventListener('message', this);
    this.#port.removeEventListener('close', this);
  }
}

/**
 * Posts `batch` carrying `values` (`transfer` lists the ports of the batch's control part; a
 * value with its own transfer list travels alone, see the senders). If a value cannot be
 * cloned, posts the rest without it (order kept) and reports each one that failed to
 * `failed(index, error)`.
 */
export function postValues(link: Link, batch: Batch, key: 'v' | 'u', values: unknown[], transfer: readonly unknown[], failed: (index: number, error: unknown) => void): void {
  if (values.length !== 0) batch[key] = values;
  try {
    link.post(batch, transfer);
    return;
  } catch (error) {
    if (values.length === 0) throw error;
  }
  // Find the culprits one value at a time; the control part of the batch (and the ports it
  // transfers) goes first.
  delete batch[key];
  link.post(batch, transfer);
  for (let i = 0; i < values.length; i++) {
    try {
      link.post({ [key]: [values[i]] });
    } catch (error) {
      failed(i, error);
    }
  }
}
