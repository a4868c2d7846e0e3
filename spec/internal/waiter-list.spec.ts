import { WaiterList, type WaiterNode } from '../../lib/internal/waiter-list.js';

class Node implements WaiterNode {
  prev: WaiterNode | null = null;
  next: WaiterNode | null = null;
  list: WaiterList<WaiterNode> | null = null;
  constructor(readonly id: number) {}
}

function drain(list: WaiterList<Node>): number[] {
  const out: number[] = [];
  for (let n = list.shift(); n !== null; n = list.shift()) out.push(n.id);
  return out;
}

describe('WaiterList', () => {
  it('shifts nodes in push order and returns null when empty', () => {
    const list = new WaiterList<Node>();
    for (let i = 0; i < 5; i++) list.push(new Node(i));
    expect(list.length).toBe(5);
    expect(drain(list)).toEqual([0, 1, 2, 3, 4]);
    expect(list.shift()).toBeNull();
    expect(list.length).toBe(0);
  });

  it.each([
    ['head', 0, [1, 2, 3]],
    ['middle', 2, [0, 1, 3]],
    ['tail', 3, [0, 1, 2]],
  ])('removes a node from the %s and keeps the rest in order', (_where, index, rest) => {
    const list = new WaiterList<Node>();
    const nodes = [0, 1, 2, 3].map((i) => new Node(i));
    for (const n of nodes) list.push(n);
    list.remove(nodes[index]!);
    expect(list.length).toBe(3);
    expect(nodes[index]!.list).toBeNull();
    expect(drain(list)).toEqual(rest);
  });

  it('marks a node as out of the list once shifted, and ignores removing it again', () => {
    const list = new WaiterList<Node>();
    const a = new Node(1);
    const b = new Node(2);
    list.push(a);
    list.push(b);
    expect(a.list).toBe(list);
    expect(list.shift()).toBe(a);
    expect(a.list).toBeNull();
    list.remove(a);
    expect(list.length).toBe(1);
    expect(drain(list)).toEqual([2]);
  });

  it('ignores removing a node that belongs to another list', () => {
    const one = new WaiterList<Node>();
    const two = new WaiterList<Node>();
    const a = new Node(1);
    two.push(a);
    one.push(new Node(9));
    one.remove(a);
    expect(one.length).toBe(1);
    expect(two.length).toBe(1);
    expect(drain(two)).toEqual([1]);
  });

  it('can be refilled after it was emptied by removals', () => {
    const list = new WaiterList<Node>();
    const a = new Node(1);
    list.push(a);
    list.remove(a);
    list.push(new Node(2));
    list.push(a);
    expect(drain(list)).toEqual([2, 1]);
  });
});

describe('mutants: WaiterList links after shifts and removals', () => {
  const filled = (n: number): { list: WaiterList<Node>; nodes: Node[] } => {
    const list = new WaiterList<Node>();
    const nodes = Array.from({ length: n }, (_, i) => new Node(i));
    for (const node of nodes) list.push(node);
    return { list, nodes };
  };

  it('takes new nodes after it was emptied by shifts', () => {
    const { list } = filled(2);
    list.shift();
    list.shift();
    list.push(new Node(7));
    expect(list.peek()?.id).toBe(7);
    expect(drain(list)).toEqual([7]);
  });

  it('appends after the new tail once the tail was removed', () => {
    const { list, nodes } = filled(4);
    list.remove(nodes[3]!);
    list.push(new Node(9));
    expect(drain(list)).toEqual([0, 1, 2, 9]);
  });

  it('removes the node that became the head through a shift', () => {
    const { list, nodes } = filled(3);
    expect(list.shift()).toBe(nodes[0]);
    list.remove(nodes[1]!);
    expect(list.length).toBe(1);
    expect(drain(list)).toEqual([2]);
  });

  it('removes two neighbours from the middle, one after the other', () => {
    const { list, nodes } = filled(4);
    list.remove(nodes[1]!);
    list.remove(nodes[2]!);
    expect(list.length).toBe(2);
    expect(drain(list)).toEqual([0, 3]);
  });

  it('peeks the longest-waiting node without taking it, and null when empty', () => {
    const { list, nodes } = filled(2);
    expect(list.peek()).toBe(nodes[0]);
    expect(list.length).toBe(2);
    expect(drain(list)).toEqual([0, 1]);
    expect(list.peek()).toBeNull();
  });
});
