// While the server starts (above all while it waits for an unreachable PostgreSQL server, see
// openDatabase's retryUntilReachable), a bare HTTP listener holds its port so that orchestrators can
// tell "alive, not ready" from "dead": /api/health/live answers 200, /api/health/ready and
// /api/health 503 (as the app's HealthController does while the database is away), anything else
// 503 with Retry-After. Once the app is built it takes the port over; there is no crash loop to
// restart, and the port is closed only for the moment of the hand-over.

import { createServer, type Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { DATABASE_RETRY_AFTER_SECONDS } from '../common/database-unavailable.js';

export interface StartingAnswer {
  status: 'error';
  database: 'connecting';
  eventBus: 'down';
}

function serveStarting(port: number, host: string | undefined): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (path === '/api/health/live') {
      response.writeHead(200).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    if (path === '/api/health/ready' || path === '/api/health') {
      const answer: StartingAnswer = { status: 'error', database: 'connecting', eventBus: 'down' };
      response.writeHead(503).end(JSON.stringify(answer));
      return;
    }
    response
      .writeHead(503)
      .end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'the server is starting (waiting for its database); retry later' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeNow(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // keep-alive probes would otherwise hold the port's old listener open
  return closed;
}

/**
 * Serves the starting-phase health on `port` while `build()` builds the app (connecting to the
 * database, migrating), then closes it and has the app listen on the same port. When `build()`
 * fails, the port is freed and the error passes on.
 */
export async function listenOnceBuilt(
  build: () => Promise<NestExpressApplication>,
  options: { port: number; host?: string; logger: Logger },
): Promise<NestExpressApplication> {
  const starting = await serveStarting(options.port, options.host);
  options.logger.info(
    { port: (starting.address() as { port: number }).port },
    'starting: /api/health/live answers, /api/health/ready answers 503 until the database is reachable',
  );
  let app: NestExpressApplication;
  try {
    app = await build();
  } finally {
    await closeNow(starting);
  }
  if (options.host === undefined) await app.listen(options.port);
  else await app.listen(options.port, options.host);
  return app;
}
