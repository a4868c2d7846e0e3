import { mpsc } from 'rxjs-channel';
import { DONE, ReceiverIterator, type IteratorSource } from '../../lib/internal/receiver-iterator.js';

// ReceiverIterator is the one async iterator of every receiver kind. Through the public API a
// claim taken twice by the same iterator, or released by one that never took it, is a no-op
// (see spec/internal/claim.spec.ts), so what the iterator asks of its source is pinned here
// with a source that records every call.
class RecordingSource implements IteratorSource<number> {
  readonly calls: string[] = [];
  claimError: unknown = undefined;
  #next = 0;

  claimFor(): void {
    this.calls.push('claimFor');
    if (this.claimError !== undefined) throw this.claimError;
  }

  releaseFor(): void {
    this.calls.push('releaseFor');
  }

  nextFor(): Promise<IteratorResult<number>> {
    this.calls.push('nextFor');
    return Promise.resolve({ value: this.#next++, done: false });
  }

  cancelNext(): void {
    this.calls.push('cancelNext');
  }
}

describe('ReceiverIterator', () => {
  it('claims its source once, on the first next(), however many next() calls follow', async () => {
    const source = new RecordingSource();
    const it = new ReceiverIterator(source);
    expect(source.calls).toEqual([]);
    await expect(it.next()).resolves.toEqual({ value: 0, done: false });
    await expect(it.next()).resolves.toEqual({ value: 1, done: false });
    await expect(it.next()).resolves.toEqual({ value: 2, done: false });
    expect(source.calls).toEqual(['claimFor', 'nextFor', 'nextFor', 'nextFor']);
  });

  it('rejects next() with the error of a claim that throws, instead of throwing synchronously', async () => {
    const source = new RecordingSource();
    const busy = new Error('busy');
    source.claimError = busy;
    const it = new ReceiverIterator(source);
    let result: Promise<IteratorResult<number>> | undefined;
    expect(() => (result = it.next())).not.toThrow();
    await expect(result).rejects.toBe(busy);
    expect(source.calls).toEqual(['claimFor']);
  });

  it('end() on a fresh iterator releases nothing, and later next() calls are done', async () => {
    const source = new RecordingSource();
    const it = new ReceiverIterator(source);
    it.end();
    expect(it.returned).toBe(true);
    await expect(it.next()).resolves.toBe(DONE);
    expect(source.calls).toEqual([]);
  });

  it('end() on a claimed iterator releases its claim once', async () => {
    const source = new RecordingSource();
    const it = new ReceiverIterator(source);
    await it.next();
    it.end();
    it.end();
    await expect(it.next()).resolves.toBe(DONE);
    expect(source.calls).toEqual(['claimFor', 'nextFor', 'releaseFor']);
  });

  it('return() on a fresh iterator cancels and releases nothing, and later next() calls are done', async () => {
    const source = new RecordingSource();
    const it = new ReceiverIterator(source);
    await expect(it.return()).resolves.toBe(DONE);
    expect(it.returned).toBe(true);
    await expect(it.next()).resolves.toBe(DONE);
    expect(source.calls).toEqual([]);
  });

  it('return() on a claimed iterator cancels its pending next, then releases its claim, once', async () => {
    const source = new RecordingSource();
    const it = new ReceiverIterator(source);
    await it.next();
    await expect(it.return()).resolves.toBe(DONE);
    await expect(it.return()).resolves.toBe(DONE);
    await expect(it.next()).resolves.toBe(DONE);
    expect(source.calls).toEqual(['claimFor', 'nextFor', 'cancelNext', 'releaseFor']);
  });

  it('is its own async iterable', () => {
    const it = new ReceiverIterator(new RecordingSource());
    expect(it[Symbol.asyncIterator]()).toBe(it);
  });

  it('drives a for await loop over an mpsc receiver iterator to the end of the channel', async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const values: number[] = [];
    const loop = (async () => {
      for await (const value of rx[Symbol.asyncIterator]()) values.push(value);
    })();
    await tx.send(1);
    await tx.send(2);
    tx.drop();
    await loop;
    expect(values).toEqual([1, 2]);
  });
});
