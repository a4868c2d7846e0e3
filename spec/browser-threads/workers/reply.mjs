// A request handler: opens the oneshot reply sender it was given and answers (or, with
// `crash`, throws first: the worker stays alive, the sender with it).
import { oneshot } from 'rxjs-channel';
import { start } from './common.mjs';

start(async ({ port, question, crash = false }) => {
  const reply = oneshot.senderFromPort(port);
  if (crash) throw new Error('handler crashed');
  reply.send({ answer: question * 2, asked: new Map([['question', question]]) });
});
