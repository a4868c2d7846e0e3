// The tokio tutorial's channel example, in TypeScript: two producers, each with its own clone
// of the sender, send a User into a bounded channel; the main task collects them all. The
// channel ends when the last clone is dropped (here, when each `using` scope ends).
import { lastValueFrom, tap, toArray } from 'rxjs';
import { mpsc } from 'rxjs-channel';

interface User {
  id: string;
}

async function lookupUser(id: string, tx: mpsc.Sender<User>): Promise<void> {
  using sender = tx; // dropped at the end of the scope
  await sender.send({ id }); // waits while the channel is full
}

const [tx, rx] = mpsc.channel<User>(100);
void Promise.all([lookupUser('bob', tx.clone()), lookupUser('tom', tx)]);
const users = await lastValueFrom(
  rx.pipe(
    tap((user) => console.log(`received: ${JSON.stringify(user)}`)),
    toArray(), // completes once both clones are dropped
  ),
);
console.log('Users:', users);
