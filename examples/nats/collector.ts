// The consumer process of the tutorial: collects every user until every producer, everywhere, is gone.
import { connect } from '@nats-io/transport-node';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { jetstream } from 'rxjs-channel/nats';

interface User {
  id: string;
  from: number;
}

const nc = await connect({ servers: process.env.NATS_URL });
const users = await jetstream.channel<User>(nc, process.env.CHANNEL ?? 'users', { capacity: 100 });
const rx = await users.receiver();
const all = await lastValueFrom(rx.pipe(tap((user) => console.log(`received: ${JSON.stringify(user)}`)), toArray()));
console.log(`Users: ${JSON.stringify(all.map((u) => u.id).sort())}`);
await users.destroy(); // the example cleans up after itself
await nc.drain();
