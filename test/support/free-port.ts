// A free TCP port on the loopback interface, for servers a test or a benchmark starts itself.

import { createServer } from 'node:net';

/** Asks the kernel for a free port (listen on 0), closes it and returns its number. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
