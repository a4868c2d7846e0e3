import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsServer } from './server.js';

/** A server for the suite, started in beforeAll and always stopped in afterAll. */
export function useServer(): { server: NatsServer; connect(): Promise<NatsConnection> } {
  const server = {} as NatsServer;
  const conns: NatsConnection[] = [];
  const holder = {
    server,
    async connect(): Promise<NatsConnection> {
      const nc = await connect({
        servers: holder.server.url,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 100,
      });
      conns.push(nc);
      return nc;
    },
  };
  beforeAll(async () => {
    holder.server = new NatsServer();
    await holder.server.start();
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(conns.map((nc) => nc.close()));
    await holder.server.dispose?.();
  }, 30_000);
  return holder;
}

let counter = 0;
/** A channel name no other test uses. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** Lets pending promise jobs and I/O callbacks run (a bounded wait for a remote effect). */
export async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}
