// A dispatcher loop with select: it takes commands and telemetry from two channels, forwards
// telemetry to a bounded log channel when there is room, gives up after 200 ms of silence, and
// stops on shutdown. Whatever branch loses is left untouched: no message is ever lost.
// Run it with `npx tsx examples/select.ts`.
import { mpsc, select } from 'rxjs-channel';

const [commandTx, commands] = mpsc.channel<string>(4);
const [telemetryTx, telemetry] = mpsc.channel<number>(4);
const [logTx, log] = mpsc.channel<string>(2);
const shutdown = new AbortController();

// Producers.
void (async () => {
  using tx = commandTx;
  for (const command of ['start', 'calibrate', 'report']) {
    await tx.send(command);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
})();
void (async () => {
  using tx = telemetryTx;
  for (let reading = 20; reading < 26; reading++) await tx.send(reading);
})();
// A slow log writer.
void (async () => {
  for await (const line of log) {
    console.log(`    log: ${line}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
})();
setTimeout(() => shutdown.abort('operator pressed stop'), 500);

let pending: string | undefined; // a telemetry line waiting for room in the log
let open = { commands: true, telemetry: true };
for (;;) {
  const result = await select({
    // `undefined` disables a branch, as a nil channel does in Go
    command: open.commands ? commands : undefined,
    reading: open.telemetry && pending === undefined ? telemetry : undefined,
    logged: pending !== undefined ? select.send(logTx, pending) : undefined,
    quiet: select.timeout(200),
    stop: select.abort(shutdown.signal),
  });
  switch (result.key) {
    case 'command':
      if (result.value === undefined) open = { ...open, commands: false };
      else console.log(`command: ${result.value}`);
      break;
    case 'reading':
      if (result.value === undefined) open = { ...open, telemetry: false };
      else pending = `temperature ${result.value} °C`;
      break;
    case 'logged':
      pending = undefined;
      break;
    case 'quiet':
      console.log('no message for 200 ms: stopping');
      break;
    case 'stop':
      console.log(`stopped: ${String(result.value)}`);
      break;
  }
  if (result.key === 'quiet' || result.key === 'stop') break;
}
logTx.drop();
