// Single scenarios on a moved mpsc sender, chosen by `mode`; each posts its findings.
import { mpsc } from 'rxjs-channel';
import { report, start } from './common.mjs';

start(async ({ port, mode }) => {
  const tx = mpsc.senderFromPort(port);
  if (mode === 'uncloneable') {
    await tx.send('before');
    const error = await tx.send({ f() {} }).then(() => null, (e) => ({ name: e.name, message: e.message }));
    await tx.send('after'); // the refused value took no slot: capacity 1 has room once 'before' is read
    report({ error });
  } else if (mode === 'transfer') {
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    await tx.send(buffer, { transfer: [buffer] });
    report({ detached: buffer.byteLength === 0 });
  } else if (mode === 'error') {
    await tx.send(1);
    tx.error(new RangeError('worker gave up', { cause: { code: 7 } }));
    report({ closed: tx.isClosed, refused: await tx.send(2).then(() => false, (e) => e.name) });
  } else if (mode === 'closed') {
    await tx.closed();
    report({ isClosed: tx.isClosed, refused: await tx.send(1).then(() => false, (e) => e.name) });
  } else if (mode === 'slots') {
    // capacity 1: a held permit is this thread's one slot; trySend is true only with a free one
    const permit = await tx.reserve();
    const whileHeld = tx.trySend(1);
    permit.send(0);
    report({ whileHeld, capacity: tx.capacity });
  }
  tx.drop();
});
