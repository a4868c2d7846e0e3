/* global self */
// Opens the port it was given as an mpsc sender, whatever it carries: a browser cannot read the
// port synchronously, so a wrong kind is reported when the hello arrives, as a TypeError the
// library throws from a promise job (as it rethrows every error out of a callback): an
// unhandled rejection, caught here by the global `unhandledrejection` event. Reports what the
// handle did meanwhile.
import { mpsc } from 'rxjs-channel';
import { report, start } from './common.mjs';

start(async ({ port }) => {
  const uncaught = new Promise((resolve) => {
    self.addEventListener('unhandledrejection', (event) => {
      event.preventDefault();
      resolve({ name: event.reason?.name, message: event.reason?.message });
    }, { once: true });
  });
  const tx = mpsc.senderFromPort(port); // does not throw here
  const sent = tx.send(1).then(() => 'sent', (e) => e.name);
  const error = await uncaught;
  report({ error, sent: await sent, isClosed: tx.isClosed, closed: await tx.closed().then(() => true) });
});
