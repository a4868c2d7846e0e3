// broadcast handles in a worker, by `mode`; each posts its findings.
//   send: sends `count` values { id, seq } (a macrotask between sends with `forever`, which
//     never stops), then drops the sender.
//   recv: reads the receiver until the end (recording LaggedError skips); posts { got, lagged }.
import { broadcast } from 'rxjs-channel';
import { report, start } from './common.mjs';

const tick = () => new Promise((next) => setTimeout(next, 0));

start(async ({ port, mode, id = 0, count = 0, forever = false }) => {
  if (mode === 'send') {
    const tx = broadcast.senderFromPort(port);
    for (let seq = 0; forever || seq < count; seq++) {
      tx.send({ id, seq });
      if (forever && seq === 100) report('sending');
      if (forever) await tick();
    }
    tx.drop();
  } else if (mode === 'recv') {
    const rx = broadcast.receiverFromPort(port);
    report('ready');
    const got = [];
    const lagged = [];
    for (;;) {
      let v;
      try {
        v = await rx.recv();
      } catch (e) {
        if (e?.name !== 'LaggedError') throw e;
        lagged.push(e.skipped);
        continue;
      }
      if (v === undefined) break;
      got.push(v);
    }
    report({ got, lagged });
  }
});
