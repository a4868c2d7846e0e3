/* global self */
// Sends `count` values { id, seq } (plain numbers with `plain`) through the sender port, then
// drops it; with `forever` it never stops, with `throwAfter` it throws (the worker stays
// alive: a browser does not end a worker on an uncaught error). With `report`, posts
// { sent } after every `report` resolved sends. Answers { ask: 'sent' } with the count so
// far (and, with `trySend`, what a trySend returns now).
import { mpsc } from 'rxjs-channel';
import { report as post, start } from './common.mjs';

start(async ({ port, id = 0, count = 0, forever = false, throwAfter = -1, report = 0, plain = false }) => {
  const tx = mpsc.senderFromPort(port);
  let sent = 0;
  self.addEventListener('message', ({ data }) => {
    if (data.ask === 'sent') post({ sent, trySend: data.trySend ? tx.trySend(plain ? -1 : { id, seq: -1 }) : undefined });
  });
  post({ opened: true });
  for (let seq = 0; forever || seq < count; seq++) {
    if (seq === throwAfter) throw new Error(`producer ${id} failed`);
    await tx.send(plain ? seq : { id, seq });
    sent++;
    if (report !== 0 && sent % report === 0) post({ sent });
  }
  tx.drop();
  post({ done: true, sent });
});
