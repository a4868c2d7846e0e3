// The tokio tutorial's channel example across real threads: `lookup_user` runs in two worker
// threads, each with its own clone of the sender moved into it; the main thread collects the
// users. The channel (and its bound) stays in this thread; each worker's sends wait while it is
// full. The stream ends when both workers' senders are gone, and the program exits by itself.
import { lastValueFrom, tap, toArray } from 'rxjs';
import { mpsc } from 'rxjs-channel';
import { tsWorker } from './ts-worker.js';

export interface User {
  id: string;
  thread: number;
}

const [tx, rx] = mpsc.channel<User>(100);
for (const id of ['bob', 'tom']) {
  const port = tx.clone().intoPort(); // the clone moves; tx stays here
  tsWorker(new URL('./lookup-user.ts', import.meta.url), {
    workerData: { id, port },
    transferList: [port as never], // with both DOM and Node typings loaded, TypeScript sees two MessagePort types
  });
}
tx.drop();
const users = await lastValueFrom(
  rx.pipe(
    tap((user) => console.log(`received: ${user.id} from thread ${user.thread}`)),
    toArray(), // completes when both workers' senders are gone
  ),
);
console.log('Users:', users.map((u) => u.id).sort());
