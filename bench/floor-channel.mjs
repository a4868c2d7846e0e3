// The floor: the least a bounded multi-producer, single-consumer channel in JavaScript can
// do. A power-of-two ring buffer, a FIFO of waiting senders, one waiting receive and one
// synchronous sink. No abort signals, no permits, no error paths, no ownership checks: what
// rxjs-channel costs above this line is the price of its contract. Benchmarks only, never lib/.

const RESOLVED = Promise.resolve();
const DONE = Object.freeze({ value: undefined, done: true });

export class FloorChannel {
  #items;
  #mask;
  #head = 0;
  #length = 0;
  #bound;
  // Waiting senders as a growable ring of [value, resolve] pairs flattened into one array.
  #waiting = [];
  #waitHead = 0;
  #waitLength = 0;
  #recvResolve = null;
  #sink = null;
  #onEnd = null;
  #closed = false;

  constructor(bound) {
    this.#bound = bound;
    let size = 1;
    while (size < bound) size *= 2;
    this.#items = new Array(size);
    this.#mask = size - 1;
  }

  /** Queues `value` if there is room (or hands it to the sink); false when full. */
  trySend(value) {
    if (this.#sink !== null && this.#length === 0) {
      this.#sink(value);
      return true;
    }
    if (this.#recvResolve !== null) {
      const resolve = this.#recvResolve;
      this.#recvResolve = null;
      resolve({ value, done: false });
      return true;
    }
    if (this.#length < this.#bound && this.#waitLength === 0) {
      this.#items[(this.#head + this.#length++) & this.#mask] = value;
      return true;
    }
    return false;
  }

  /** Resolves once `value` is in the channel; waits in FIFO order while it is full. */
  send(value) {
    if (this.trySend(value)) return RESOLVED;
    return new Promise((resolve) => {
      const waiting = this.#waiting;
      if (this.#waitLength * 2 === waiting.length) this.#growWaiting();
      const at = (this.#waitHead + this.#waitLength * 2) % this.#waiting.length;
      this.#waiting[at] = value;
      this.#waiting[at + 1] = resolve;
      this.#waitLength++;
    });
  }

  /** No more sends: the consumer ends after draining. */
  close() {
    this.#closed = true;
    if (this.#length === 0 && this.#recvResolve !== null) {
      const resolve = this.#recvResolve;
      this.#recvResolve = null;
      resolve(DONE);
    }
    if (this.#length === 0 && this.#onEnd !== null) this.#onEnd();
  }

  next() {
    if (this.#length !== 0) return Promise.resolve({ value: this.#shift(), done: false });
    if (this.#closed) return Promise.resolve(DONE);
    return new Promise((resolve) => (this.#recvResolve = resolve));
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** Attaches a synchronous consumer; `onEnd` runs once closed and drained. */
  subscribe(sink, onEnd) {
    this.#sink = sink;
    this.#onEnd = onEnd;
    while (this.#length !== 0) sink(this.#shift());
    if (this.#closed) onEnd();
  }

  #shift() {
    const items = this.#items;
    const value = items[this.#head];
    items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    if (this.#waitLength !== 0) {
      // The freed slot goes to the longest-waiting sender.
      const waiting = this.#waiting;
      const at = this.#waitHead;
      const resolve = waiting[at + 1];
      this.#items[(this.#head + this.#length++) & this.#mask] = waiting[at];
      waiting[at] = waiting[at + 1] = undefined;
      this.#waitHead = (at + 2) % waiting.length;
      this.#waitLength--;
      resolve();
    }
    return value;
  }

  #growWaiting() {
    const old = this.#waiting;
    const next = new Array(Math.max(8, old.length * 2));
    for (let i = 0; i < this.#waitLength * 2; i++) next[i] = old[(this.#waitHead + i) % old.length];
    this.#waiting = next;
    this.#waitHead = 0;
  }
}
