// Child of release.spec.ts (run with --expose-gc): checks with WeakRefs that a broadcast channel
// lets go of values nobody needs, and that a receiver nobody reads pins at most `capacity`
// values. Prints one JSON line.   argv[2]: the library entry (file URL)
const { broadcast, watch } = await import(process.argv[2]);

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
// WeakRef targets stay alive until the current job ends: let it end before collecting.
const collect = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
};
const alive = (refs) => refs.filter((ref) => ref.deref() !== undefined).length;
const payload = (i) => ({ i, data: new Array(64).fill(i) });
// Creates the values in a function of its own, so no local variable of the caller keeps the
// last one alive.
const fill = (send, count) => {
  const refs = [];
  for (let i = 0; i < count; i++) {
    const v = payload(i);
    refs.push(new WeakRef(v));
    send(v);
  }
  return refs;
};

const report = {};

{
  // Read by every receiver: released.
  const [tx, a] = broadcast.channel(8);
  const b = tx.subscribe();
  const refs = fill((v) => tx.send(v), 8);
  for (let i = 0; i < 8; i++) a.tryRecv();
  await collect();
  report.afterOneReader = alive(refs);
  for (let i = 0; i < 8; i++) b.tryRecv();
  await collect();
  report.afterAllReaders = alive(refs);
  globalThis.keep = [tx, a, b];
}

{
  // The only receiver that had not read them is dropped: released.
  const [tx, a] = broadcast.channel(8);
  const b = tx.subscribe();
  const refs = fill((v) => tx.send(v), 8);
  for (let i = 0; i < 8; i++) a.tryRecv();
  b.drop();
  await collect();
  report.afterDrop = alive(refs);
  globalThis.keep2 = [tx, a, b];
}

{
  // A receiver that never reads pins at most `capacity` values, however many are sent.
  const [tx, rx] = broadcast.channel(16);
  const refs = fill((v) => tx.send(v), 1000);
  await collect();
  report.pinnedByIdleReceiver = alive(refs);
  globalThis.keep3 = [tx, rx];
}

{
  // A watch channel holds the current value only.
  const [tx, rx] = watch.channel(payload(-1));
  const refs = fill((v) => tx.send(v), 100);
  await collect();
  report.watchHeld = alive(refs);
  globalThis.keep4 = [tx, rx];
}

console.log(JSON.stringify(report));
