// Configuration that changes at run time, with watch: the writer replaces the value, readers
// react to the latest one. A burst of changes reaches an Observable subscriber as its last value
// only; a reader that awaits changed() skips the versions it was too slow for.
import { watch } from 'rxjs-channel';

interface Config {
  logLevel: 'debug' | 'info' | 'warn';
  workers: number;
}

const [tx, rx] = watch.channel<Config>({ logLevel: 'info', workers: 2 });

// Observable reader: current value at once, then coalesced updates; completes at the end.
const subscription = rx.subscribe({
  next: (config) => console.log('observer sees', JSON.stringify(config)),
  complete: () => console.log('observer: config source gone'),
});

// Pull reader: waits for a version it has not seen, then reads the latest.
const reader = tx.subscribe();
const pulled = (async () => {
  for (;;) {
    try {
      await reader.changed();
    } catch {
      return 'reader: every sender dropped';
    }
    console.log('reader sees', JSON.stringify(reader.borrowAndUpdate()));
  }
})();

// A burst: one update is delivered, with the final state.
tx.sendModify((config) => {
  config.workers = 4;
});
tx.send({ logLevel: 'debug', workers: 4 });
await new Promise((resolve) => setTimeout(resolve, 0));

// Only announce when something really changed.
const changed = tx.sendIfModified((config) => {
  if (config.workers === 4) return false;
  config.workers = 4;
  return true;
});
console.log('sendIfModified announced a change:', changed);

tx.drop();
console.log(await pulled);
subscription.unsubscribe();
