// Request/response over channels, tokio's "send a oneshot with the command" pattern: a key-value
// manager task owns the map; clients send it commands over an mpsc channel, each carrying a
// oneshot sender for the reply, and await the matching oneshot receiver.
import { mpsc, oneshot } from 'rxjs-channel';

type Command =
  | { op: 'get'; key: string; reply: oneshot.Sender<string | undefined> }
  | { op: 'set'; key: string; value: string; reply: oneshot.Sender<void> };

async function manager(inbox: mpsc.Receiver<Command>): Promise<void> {
  const store = new Map<string, string>();
  for await (const command of inbox) {
    if (command.op === 'get') command.reply.send(store.get(command.key));
    else {
      store.set(command.key, command.value);
      command.reply.send();
    }
  }
}

const [commands, inbox] = mpsc.channel<Command>(32);
const done = manager(inbox);

async function set(key: string, value: string): Promise<void> {
  const [reply, response] = oneshot.channel<void>();
  await commands.send({ op: 'set', key, value, reply });
  await response;
}

async function get(key: string): Promise<string | undefined> {
  const [reply, response] = oneshot.channel<string | undefined>();
  await commands.send({ op: 'get', key, reply });
  return await response;
}

await set('hello', 'world');
console.log('get hello =>', await get('hello'));
console.log('get missing =>', await get('missing'));

// A responder that drops the reply sender without answering fails the request with RecvError,
// instead of leaving the client waiting forever.
const [reply, response] = oneshot.channel<number>();
reply.drop();
await response.then(
  () => console.log('unexpected answer'),
  (error: Error) => console.log(`no answer: ${error.name}`),
);

commands.drop();
await done;
