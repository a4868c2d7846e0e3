/**
 * A growable FIFO ring buffer: O(1) push and shift, no `Array#shift` and no reallocation once
 * it has grown to the channel's bound. Storage is allocated on first push, so an idle channel
 * costs no array at all.
 */
export class RingBuffer<T> {
  #items: (T | undefined)[] = EMPTY as (T | undefined)[];
  #head = 0;
  #length = 0;
  #mask = -1;
  /** Largest storage this buffer may grow to (a power of two >= the channel bound). */
  readonly #limit: number;

  constructor(bound: number) {
    this.#limit = bound === Infinity ? Infinity : nextPowerOfTwo(bound);
  }

  get length(): number {
    return this.#length;
  }

  push(value: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = value;
    this.#length++;
  }

  /** Puts `value` before the oldest value (it becomes the next to shift). */
  unshift(value: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#items[this.#head] = value;
    this.#length++;
  }

  /** Removes and returns the oldest value; the caller checks `length` first. */
  shift(): T {
    const items = this.#items;
    const value = items[this.#head] as T;
    items[this.#head] = undefined; // let the value be collected
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    return value;
  }

  #grow(): void {
    const old = this.#items;
    const size = old.length === 0 ? Math.min(INITIAL_SIZE, this.#limit) : old.length * 2;
    const items = new Array<T | undefined>(size);
    for (let i = 0; i < this.#length; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#head = 0;
    this.#mask = size - 1;
  }
}

const EMPTY: unknown[] = [];
const INITIAL_SIZE = 16;

function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}
