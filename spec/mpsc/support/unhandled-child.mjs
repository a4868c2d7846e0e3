// Child of sender.spec.ts: counts unhandled rejections caused by using a Sender as an RxJS
// Observer whose values are refused. Jest intercepts unhandledRejection in its own process,
// so the listener has to live in a plain Node process to see what a user's process would.
import { from } from 'rxjs';

const { mpsc } = await import(process.argv[2]);
const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason instanceof Error ? reason.message : String(reason)));

const [tx, rx] = mpsc.channel(1);
tx.trySend(0);
tx.next(1); // waits, then is refused by the close (SendError)
const dropped = tx.clone();
dropped.drop();
dropped.next(2); // refused at once: dropped handle (SenderDroppedError)
rx.close();
from([3, 4]).subscribe(tx); // refused at once: closed (SendError)

const [tx2] = mpsc.channel(1);
tx2.trySend(0);
tx2.next(6); // waits, then is refused by the error below
tx2.error(new Error('errored')); // refuses the waiting next(6)

// The listener does see a rejection nobody handles, so its silence above means something.
void Promise.reject(new Error('control'));

await new Promise((resolve) => setImmediate(resolve));
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify({ unhandled }));
