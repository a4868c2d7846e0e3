/**
 * A TCP proxy in front of the test's nats-server, to lose what a real network loses: it can
 * cut a client's connection right after a given publish reached the server, so the server
 * stores the value but its acknowledgement never comes back, and it can refuse connections
 * for a while (the client keeps reconnecting).
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';

export class NatsProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #refusing = false;
  #cut: { subject: string; done: () => void } | null = null;
  port = 0;

  constructor(upstreamPort: () => number) {
    this.#server = createServer((client) => {
      if (this.#refusing) return void client.destroy();
      const upstream = tcpConnect(upstreamPort(), '127.0.0.1');
      this.#sockets.add(client).add(upstream);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      let pending = ''; // protocol text not yet split into commands (client to server)
      let owed = -1; // bytes of the watched message still to forward before the cut
      let cutting: { done: () => void } | null = null;
      const forward = (chunk: Buffer): void => {
        const take = Math.min(owed, chunk.length);
        owed -= take;
        if (owed > 0) return void upstream.write(chunk);
        // The watched message is through (the rest of the chunk is lost with the connection):
        // close towards the server gracefully, so it handles what it read, and its answers go
        // to a connection the client no longer has.
        const { done } = cutting as { done: () => void };
        cutting = null;
        upstream.end(chunk.subarray(0, take), () => {
          client.destroy();
          done();
        });
      };
      client.on('data', (chunk: Buffer) => {
        if (cutting !== null) return forward(chunk);
        if (owed === 0) return; // cut: nothing more reaches the server
        const cut = this.#cut;
        if (cut === null) return void upstream.write(chunk);
        pending += chunk.toString('latin1');
        // `HPUB <subject> <reply> <header bytes> <total bytes>\r\n<headers><payload>\r\n`
        const at = pending.search(new RegExp(`(^|\\n)H?PUB ${cut.subject.replace(/\./g, '\\.')} `));
        const lineEnd = at < 0 ? -1 : pending.indexOf('\r\n', at + 1);
        if (lineEnd < 0) {
          // Not (yet) the watched message: keep only the last, maybe partial, line.
          const keep = pending.lastIndexOf('\n', at < 0 ? undefined : at);
          upstream.write(chunk);
          pending = at < 0 ? pending.slice(Math.max(0, keep)) : pending;
          return;
        }
        const fields = pending.slice(at, lineEnd).trim().split(' ');
        const end = lineEnd + 2 + Number(fields[fields.length - 1]) + 2;
        this.#cut = null;
        cutting = { done: cut.done };
        owed = end - (pending.length - chunk.length);
        forward(chunk);
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /**
   * Resolves once a publish on `subject` went through to the server and the client's
   * connection was then cut; new connections are refused from then until `admit()`.
   */
  cutAfterPublish(subject: string): Promise<void> {
    return new Promise((resolve) => {
      this.#cut = {
        subject,
        done: () => {
          this.#refusing = true;
          resolve();
        },
      };
    });
  }

  /** Accepts connections again. */
  admit(): void {
    this.#refusing = false;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
