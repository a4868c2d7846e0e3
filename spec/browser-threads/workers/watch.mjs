// watch handles in a worker, by `mode`; each posts its findings.
//   send: sends 1..count, a macrotask between sends, then drops the sender.
//   recv: records the first value, then each version it sees until changed() rejects;
//     posts { first, seen, error }. A browser reads the port's hello (which carries the
//     value) a macrotask after it is opened: its arrival is the receiver's first version, so
//     the first value is what the first changed() resolves with.
//   hold: opens a receiver, reports its Observable's first value (the current one) and keeps
//     it (the page terminates this worker).
import { watch } from 'rxjs-channel';
import { report, start } from './common.mjs';

const tick = () => new Promise((next) => setTimeout(next, 0));

start(async ({ port, mode, count = 0 }) => {
  if (mode === 'send') {
    const tx = watch.senderFromPort(port);
    for (let n = 1; n <= count; n++) {
      tx.send(n);
      await tick();
    }
    tx.drop();
  } else if (mode === 'recv') {
    const rx = watch.receiverFromPort(port);
    const before = rx.borrow();
    await rx.changed();
    const first = rx.borrowAndUpdate();
    report('ready');
    const seen = [];
    let error = null;
    for (;;) {
      try {
        await rx.changed();
      } catch (e) {
        error = e.name;
        break;
      }
      seen.push(rx.borrowAndUpdate());
    }
    report({ before, first, seen, error });
  } else if (mode === 'hold') {
    const rx = watch.receiverFromPort(port);
    report({ value: await new Promise((next) => rx.subscribe({ next })) });
  }
});
