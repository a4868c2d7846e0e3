// One producer process of the tutorial: looks up its users and sends them on the `users` channel.
// Run by run.ts (or by hand: NATS_URL=nats://127.0.0.1:4222 CHANNEL=users IDS=bob,tom npx tsx examples/nats/producer.ts).
import { connect } from '@nats-io/transport-node';
import { jetstream } from 'rxjs-channel/nats';

interface User {
  id: string;
  from: number;
}

const nc = await connect({ servers: process.env.NATS_URL });
const users = await jetstream.channel<User>(nc, process.env.CHANNEL ?? 'users', { capacity: 100 });
{
  await using tx = await users.sender(); // dropped (and unregistered) at the end of the scope
  console.log('producer ready');
  for (const id of (process.env.IDS ?? 'bob').split(',')) {
    await tx.send({ id, from: process.pid }); // resolves once the server stored it; waits while 100 are stored
  }
}
await nc.drain();
