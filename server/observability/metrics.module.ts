import { Controller, Get, Global, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.guard.js';
import { serverPool } from '../database/database-driver.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus scrapes this. Open on purpose, like the health routes: it carries counts and timings
 * only (route patterns, never URLs, ids or anything about a patient); keep it on the private network
 * (the compose file's proxy does not route it). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/** Routes counted as ingest, by kind (the POST routes of the ingest API, the integrations and imports). */
const INGEST_KINDS: ReadonlyArray<[RegExp, string]> = [
  [/^\/api\/v1\/leads$/, 'lead'],
  [/^\/api\/v1\/leads\/:id\/events$/, 'lead_event'],
  [/^\/api\/v1\/calls$/, 'call'],
  [/^\/api\/v1\/integrations\//, 'integration'],
  [/^\/api\/v1\/imports\//, 'import'],
];

/** Express middleware timing every request; labels come from the matched route pattern once the
 * response is finished (unmatched requests, such as static files, share one label). */
export function requestMetrics(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? (req.baseUrl ?? '') + pattern : 'unmatched';
      const status = String(res.statusCode);
      metrics.httpRequests.observe({ method: req.method, route, status }, seconds);
      if (req.method === 'POST') {
        const kind = INGEST_KINDS.find(([test]) => test.test(route))?.[1];
        if (kind) metrics.ingest.observe({ kind, outcome: `${status[0]}xx` }, seconds);
      }
    });
    next();
  };
}

/** The metrics registry for every module, and GET /metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: MetricsService,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => {
        const metrics = new MetricsService();
        metrics.readPoolWith(() => {
          const pool = serverPool(dataSource);
          if (!pool) return undefined;
          return { totalCount: pool.totalCount, idleCount: pool.idleCount, waitingCount: pool.waitingCount, max: pool.options?.max ?? 0 };
        });
        return metrics;
      },
    },
  ],
  exports: [MetricsService],
})
export class MetricsModule {}
