// A TCP relay between an app and its PostgreSQL server, to take the database away from that one app
// (never from the other tests sharing the server) and give it back:
// - refuse(): every relayed connection is reset and new ones are refused (a database restarting or down);
// - blackhole(): connections stay open but nothing passes either way, and new ones are accepted and
//   never answered (a network partition: the case where only timeouts end the wait);
// - restore(): relays again, on the same port.

import net from 'node:net';

export interface OutageProxy {
  /** The database URL with its host and port replaced by the relay's. */
  url: string;
  refuse(): Promise<void>;
  blackhole(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startOutageProxy(databaseUrl: string): Promise<OutageProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  let mode: 'relay' | 'blackhole' = 'relay';
  let server: net.Server | null = null;
  let port = 0;

  function track(socket: net.Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  function accept(client: net.Socket): void {
    track(client);
    if (mode === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    track(upstream);
    // Forward only while relaying: in a blackhole, data is read and dropped, as on a dead link.
    client.on('data', (chunk) => void (mode === 'relay' && upstream.write(chunk)));
    upstream.on('data', (chunk) => void (mode === 'relay' && client.write(chunk)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = net.createServer(accept);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as net.AddressInfo).port;
        server = next;
        resolve();
      });
    });

  async function stopListening(): Promise<void> {
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  await listen();
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    async refuse() {
      mode = 'relay';
      const closing = stopListening();
      for (const socket of sockets) socket.resetAndDestroy();
      await closing;
    },
    blackhole() {
      mode = 'blackhole';
    },
    async restore() {
      for (const socket of [...sockets]) if (mode === 'blackhole') socket.destroy();
      mode = 'relay';
      if (!server) await listen();
    },
    async close() {
      await stopListening();
      for (const socket of sockets) socket.destroy();
    },
  };
}
