import { runChild } from './child-process.js';

interface HeapReport {
  count: number;
  ordered: boolean;
  maxLength: number;
  baseline: number;
  /** heapUsed after a full GC, every 100,000 values */
  samples: number[];
}

const MB = 1024 * 1024;

describe('heap stays flat', () => {
  it.each(['iterator', 'subscribe', 'recv'])(
    'pushing 1,000,000 values from 4 producers through capacity 16 (consumer: %s) keeps the heap flat',
    (style) => {
      const report = runChild<HeapReport>(`spec/heap/flat-heap-child.mjs`, ['--expose-gc'], [style]);
      expect(report.count).toBe(1_000_000);
      expect(report.ordered).toBe(true);
      expect(report.maxLength).toBeLessThanOrEqual(16);
      // pulled consumers let the channel run full, so the waiting-sender path was exercised
      if (style !== 'subscribe') expect(report.maxLength).toBe(16);
      expect(report.samples).toHaveLength(10);
      // A leak of even 8 bytes per value would add ~8 MB over the run; allow GC noise only.
      const growth = Math.max(...report.samples) - report.samples[0]!;
      expect(growth).toBeLessThan(2 * MB);
      expect(Math.max(...report.samples) - report.baseline).toBeLessThan(4 * MB);
    },
    30_000,
  );
});
