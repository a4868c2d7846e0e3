// The tutorial's worker (docs/07-threads.md): looks a user up and sends it through the moved
// sender, then drops it.
import { mpsc } from 'rxjs-channel';
import { report, start } from './common.mjs';

start(async ({ id, port }) => {
  using sender = mpsc.senderFromPort(port);
  await sender.send({ id, name: id.toUpperCase(), since: new Date(Date.UTC(2020, 0, 1)) });
  report({ sent: id });
});
