// Runs in each worker thread: opens the sender it was given and sends one User. `using` drops
// it at the end of the scope; the thread then ends, and its part of the channel with it.
import { threadId, workerData } from 'node:worker_threads';
import { mpsc } from 'rxjs-channel';
import type { User } from './users.js';

const { id, port } = workerData as { id: string; port: MessagePort };
using sender = mpsc.senderFromPort<User>(port);
await sender.send({ id, thread: threadId }); // waits while the channel is full, across the port
