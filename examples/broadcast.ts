// Fan-out with broadcast: one producer of price ticks, three consumers, each with its own
// receiver. A slow consumer that falls more than `capacity` ticks behind learns how many it
// missed (LaggedError.skipped) and continues from the oldest tick still held.
import { lastValueFrom, toArray } from 'rxjs';
import { broadcast, LaggedError } from 'rxjs-channel';

const [tx, rx] = broadcast.channel<number>(4);
const logger = tx.subscribe();
const dashboard = tx.subscribe();

// An Observable consumer: delivered synchronously in each send, it never lags.
const logged = lastValueFrom(logger.pipe(toArray()));

// A pull consumer that reads only after the producer is done: it lags.
async function slowReader(receiver: broadcast.Receiver<number>): Promise<string[]> {
  const events: string[] = [];
  for (;;) {
    try {
      const tick = await receiver.recv();
      if (tick === undefined) return events;
      events.push(`tick ${tick}`);
    } catch (error) {
      if (!(error instanceof LaggedError)) throw error;
      events.push(`missed ${error.skipped}`);
    }
  }
}

for (let tick = 1; tick <= 6; tick++) console.log(`tick ${tick} reached ${tx.send(tick)} receivers`);
tx.drop();

console.log('logger:', await logged);
console.log('reader:', await slowReader(rx));
// `lag: 'skip'` would have let an Observable consumer skip silently; the default errors.
console.log('dashboard:', await lastValueFrom(dashboard.pipe(toArray())).catch((e: LaggedError) => `lagged by ${e.skipped}`));
