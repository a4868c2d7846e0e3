// Memory of 100,000 idle channel pairs, in its own process:
// `node --expose-gc bench/idle-memory.mjs <kind> <count>`. Both halves are kept as a user keeps
// them (the sender and the receiver, not the tuple); prints one JSON line.
import { fileURLToPath } from 'node:url';
import { Subject } from 'rxjs';
import { FloorChannel } from './floor-channel.mjs';

// The library is imported in main() only: run.mjs imports IDLE_KINDS before it knows which
// build to measure.
export const IDLE_KINDS = {
  'mpsc.channel(16)': (lib) => lib.mpsc.channel(16),
  'mpsc.unboundedChannel()': (lib) => lib.mpsc.unboundedChannel(),
  'rxjs Subject x2': () => [new Subject(), new Subject()],
  'rxjs Subject': () => [new Subject(), null],
  'floor channel(16)': () => [new FloorChannel(16), null],
};

async function main(kind, count) {
  const lib = await import(process.env.RXC_LIB ?? 'rxjs-channel');
  const make = () => IDLE_KINDS[kind](lib);
  const first = new Array(count).fill(null);
  const second = new Array(count).fill(null);
  make(); // load and warm the constructors before the baseline
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) [first[i], second[i]] = make();
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  const kept = first.length + second.length; // keep both arrays alive up to the measurement
  process.stdout.write(JSON.stringify({ kind, count: kept / 2, bytesPerPair: (after - before) / count }) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2], Number(process.argv[3] ?? 100_000));
