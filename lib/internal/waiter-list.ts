/**
 * An intrusive doubly linked FIFO of waiting operations. Waiters are removed from the middle
 * when their signal aborts, so unlinking must be O(1); the node is the waiter itself, so a
 * wait costs one object, not a node plus a record.
 */
export interface WaiterNode {
  prev: WaiterNode | null;
  next: WaiterNode | null;
  /** The list the node is in, or null once it has left (settled, aborted). */
  list: WaiterList<WaiterNode> | null;
}

export class WaiterList<N extends WaiterNode> {
  #head: N | null = null;
  #tail: N | null = null;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(node: N): void {
    node.list = this as WaiterList<WaiterNode>;
    node.prev = this.#tail;
    node.next = null;
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#length++;
  }

  /** The longest-waiting node, left in place, or null when empty. */
  peek(): N | null {
    return this.#head;
  }

  /** Removes and returns the longest-waiting node, or null when empty. */
  shift(): N | null {
    const node = this.#head;
    if (node === null) return null;
    const next = node.next as N | null;
    this.#head = next;
    if (next === null) this.#tail = null;
    else next.prev = null;
    node.next = null;
    node.list = null;
    this.#length--;
    return node;
  }

  /** Unlinks `node`; a node that already left the list is ignored. */
  remove(node: N): void {
    if (node.list !== (this as WaiterList<WaiterNode>)) return;
    if (node.prev === null) this.#head = node.next as N | null;
    else node.prev.next = node.next;
    if (node.next === null) this.#tail = node.prev as N | null;
    else node.next.prev = node.prev;
    node.prev = node.next = null;
    node.list = null;
    this.#length--;
  }
}
