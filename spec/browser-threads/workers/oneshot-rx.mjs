// Opens a moved oneshot receiver and reports what it gets ({ value } or { error: name }).
import { oneshot } from 'rxjs-channel';
import { report, start } from './common.mjs';

start(async ({ port }) => {
  const rx = oneshot.receiverFromPort(port);
  report('ready');
  report(await rx.then((value) => ({ value }), (e) => ({ error: e.name })));
});
