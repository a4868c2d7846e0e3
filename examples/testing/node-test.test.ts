/**
 * rxjs-channel/testing under Node's own test runner (`node:test`), as docs/09-testing.md shows:
 * `node --import tsx --test examples/testing/node-test.test.ts` (spec/testing/node-test.spec.ts
 * runs it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mpsc } from 'rxjs-channel';
import { collect, expectIdle, explore, flush, inspect, isPending } from 'rxjs-channel/testing';
import { forwardFixed, forwardRacy, pipeline } from './forwarder.js';

test('a full channel blocks the producer until the consumer takes a value', async () => {
  const [tx, rx] = mpsc.channel<number>(1);
  await tx.send(1);
  const blocked = tx.send(2);
  assert.equal(await isPending(blocked), true);
  assert.equal(inspect(tx).pendingSends, 1);
  assert.equal(await rx.recv(), 1);
  assert.equal(await isPending(blocked), false);
  tx.drop();
  assert.deepEqual(await collect(rx), [2]);
  await flush();
  expectIdle(rx);
});

test('a forgotten sender fails fast, naming who holds the channel', async () => {
  const [tx, rx] = mpsc.channel<number>(1);
  const forgotten = tx.clone();
  tx.drop();
  await assert.rejects(collect(rx, { timeout: 10 }), /1 sender still holds the channel/);
  forgotten.drop();
});

test('explore finds the lost value of the racy forwarder, and none in the fixed one', async () => {
  const scenario = (forward: typeof forwardRacy) => async () => {
    const { lost } = await pipeline(['a', 'b', 'c', 'd'], forward);
    assert.deepEqual(lost, []);
  };
  await assert.rejects(explore(scenario(forwardRacy), { runs: 100, seed: 2026 }), { name: 'ExploreError', seed: 2026 });
  await explore(scenario(forwardFixed), { runs: 100, seed: 2026 });
});
