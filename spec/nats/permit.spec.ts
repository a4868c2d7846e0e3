/**
 * NatsSender.reserve() and NatsPermit (lib/nats/permit.ts) against a real nats-server: the slot
 * is held on the server by a placeholder, the value takes the placeholder's place in the
 * sender's order, a release or a dead holder gives the slot back.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { lastValueFrom, toArray } from 'rxjs';
import { ChannelError, SendError, SenderDroppedError } from '../../lib/index.js';
import { jetstream, NatsPermit, type NatsReceiver } from '../../lib/nats/index.js';
import { uniqueName, useServer } from './helpers.js';

const nats = useServer();
jest.setTimeout(30_000);

/** Settles pending promise jobs, so a promise's state can be read. */
async function state(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let s: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (s = 'resolved'),
    () => (s = 'rejected'),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return s;
}

const drain = <T>(rx: NatsReceiver<T>): Promise<T[]> => lastValueFrom(rx.pipe(toArray()));

/** Keys `p.*` left in the channel's state bucket (values of permits not yet received). */
async function permitValuesLeft(nc: NatsConnection, name: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(`KV_rxc_${name}_state`, { subjects_filter: `$KV.rxc_${name}_state.p.>` });
  return Object.keys(info.state.subjects ?? {}).length;
}

it('holds a slot on the server: another sender is refused until the permit is used, then the value arrives', async () => {
  const nc = await nats.connect();
  const name = uniqueName('permit');
  const ch = await jetstream.channel<string>(nc, name, { capacity: 1, heartbeat: 200 });
  const tx = await ch.sender();
  const other = await ch.sender();
  const permit = await tx.reserve();
  expect(permit).toBeInstanceOf(NatsPermit);
  expect(await other.trySend('late')).toBe(false); // the only slot is the permit's
  await permit.send('first');
  expect(permit.isUsed).toBe(true);
  await Promise.all([tx.drop(), other.drop()]);
  expect(await drain(await ch.receiver())).toEqual(['first']);
  expect(await permitValuesLeft(nc, name)).toBe(0); // the value is deleted once received
});

it('hands the value over at the place of the reserve in the sender\'s order; the receiver waits there', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('permitorder'), { capacity: 4, heartbeat: 200 });
  const tx = await ch.sender();
  const rx = await ch.receiver();
  await tx.send(0);
  expect(await rx.recv()).toBe(0);
  const permit = await tx.reserve();
  await tx.send(2);
  const next = rx.recv();
  // 2 is stored, but behind the placeholder: the receiver waits for the permit's value.
  await tx.send(3);
  expect(await state(next)).toBe('pending');
  await permit.send(1);
  expect(await next).toBe(1);
  await tx.drop();
  expect(await drain(rx)).toEqual([2, 3]);
});

it('release gives the slot back: the placeholder is skipped and a send waiting for room resumes', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('permitrelease'), { capacity: 1, heartbeat: 200 });
  const tx = await ch.sender();
  const rx = await ch.receiver();
  const permit = await tx.reserve();
  const waiting = tx.send(5);
  expect(await state(waiting)).toBe('pending');
  await permit.release();
  await waiting;
  await tx.drop();
  expect(await drain(rx)).toEqual([5]);
});

it('gives the slot up three heartbeats after the permit\'s process is gone', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('permitgone'), { capacity: 2, heartbeat: 200 });
  const nc2 = await nats.connect();
  const holder = await (await jetstream.channel<number>(nc2, ch.name, { capacity: 2 })).sender();
  await holder.reserve();
  await nc2.close(); // the holder dies with its permit unused
  const tx = await ch.sender();
  await tx.send(7);
  await tx.drop();
  expect(await drain(await ch.receiver())).toEqual([7]);
});

it('delivers a permit\'s value sent after the channel was closed (the slot was granted before)', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('permitclosed'), { capacity: 2, heartbeat: 200 });
  const tx = await ch.sender();
  const permit = await tx.reserve();
  const rx = await ch.receiver();
  await rx.close();
  await expect(tx.reserve()).rejects.toBeInstanceOf(SendError);
  await permit.send(9);
  expect(await drain(rx)).toEqual([9]);
});

it('hands permits over as Delivery objects with ack: "manual", deleting the value once acknowledged', async () => {
  const nc = await nats.connect();
  const name = uniqueName('permitmanual');
  const wq = await jetstream.workQueue<number>(nc, name, { capacity: 2, heartbeat: 200, ack: 'manual' });
  const tx = await wq.sender();
  const permit = await tx.reserve();
  await permit.send(4);
  const rx = await wq.receiver();
  const delivery = await rx.recv();
  expect(delivery?.value).toBe(4);
  expect(await permitValuesLeft(nc, name)).toBe(1);
  await delivery?.ack();
  await tx.drop();
  expect(await drain(rx)).toEqual([]);
  expect(await permitValuesLeft(nc, name)).toBe(0);
});

it('refuses a second use of a permit with ChannelError, and reserve after drop with SenderDroppedError', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('permituse'), { capacity: 2, heartbeat: 200 });
  const tx = await ch.sender();
  const permit = await tx.reserve();
  await permit.release();
  await expect(permit.send(1)).rejects.toBeInstanceOf(ChannelError);
  await expect(permit.release()).rejects.toThrow('cannot release: this permit was already used');
  await tx.drop();
  await expect(tx.reserve()).rejects.toBeInstanceOf(SenderDroppedError);
});
