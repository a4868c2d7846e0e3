// Opens a moved mpsc receiver and consumes it. With `hold`, takes nothing until the page says
// so; with `slow`, one macrotask per value; with `throwAfter`, throws after that many values
// (the worker stays alive); with `closeAfter`, closes the receiver after that many. Posts { got } at the end of the stream.
import { mpsc } from 'rxjs-channel';
import { next, report, start } from './common.mjs';

start(async ({ port, hold = false, slow = false, throwAfter = -1, closeAfter = -1 }) => {
  const rx = mpsc.receiverFromPort(port);
  report({ opened: true });
  if (hold) await next();
  const got = [];
  for await (const v of rx) {
    got.push(v);
    if (got.length === throwAfter) throw new Error('consumer failed');
    if (got.length === closeAfter) rx.close();
    if (slow) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  report({ got });
});
