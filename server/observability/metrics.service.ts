// What an operator scrapes from every server process at GET /metrics (Prometheus text format,
// prom-client). One registry per application instance (not prom-client's global one), so two apps in
// one test process do not share counters. Names and meanings are listed in the README ("Operations").

import { Injectable } from '@nestjs/common';
import promClient from 'prom-client';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

const { Registry: PromRegistry, Counter: PromCounter, Gauge: PromGauge, Histogram: PromHistogram, collectDefaultMetrics } = promClient;

/** Buckets in seconds, from 1 ms to 10 s: request, ingest and board latencies all fall in this range. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Pool figures read when scraped (pg.Pool's own counters). */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  max: number;
}

@Injectable()
export class MetricsService {
  readonly registry: Registry = new PromRegistry();

  /** Every HTTP request, by method, Express route pattern (never the raw URL: ids would explode the
   * label set) and status code. Ingest latency is this histogram's `route="/api/v1/leads"` and
   * `route="/api/v1/calls"` series. */
  readonly httpRequests: Histogram<'method' | 'route' | 'status'> = new PromHistogram({
    name: 'lw_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code: duration in seconds',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Ingest requests only (leads, lead events, calls, webhooks, imports), by kind and outcome class. */
  readonly ingest: Histogram<'kind' | 'outcome'> = new PromHistogram({
    name: 'lw_ingest_duration_seconds',
    help: 'Ingest requests (leads, lead events, calls, integrations, imports) from arrival to answer, in seconds, by kind and outcome (2xx, 4xx, 5xx)',
    labelNames: ['kind', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** From the commit of the oldest change a board update carries to the moment it was sent to TVs. */
  readonly commitToEmit: Histogram = new PromHistogram({
    name: 'lw_board_commit_to_emit_seconds',
    help: 'Board updates: seconds from the commit of the oldest change in the update to its emit to the TVs of this process',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** From commit to arrival of the notification in this process (origin: this process or another). */
  readonly eventLag: Histogram<'origin'> = new PromHistogram({
    name: 'lw_event_bus_lag_seconds',
    help: 'Domain events: seconds from the publishing transaction to their arrival in this process via LISTEN/NOTIFY, by origin (self, peer)',
    labelNames: ['origin'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly eventGaps: Counter = new PromCounter({
    name: 'lw_event_bus_gaps_total',
    help: 'Times this process noticed missed domain events (a sequence gap or a lost LISTEN connection) and rebuilt boards from the database',
    registers: [this.registry],
  });

  readonly isLeader: Gauge = new PromGauge({
    name: 'lw_cluster_leader',
    help: '1 while this process holds the run-once lock (runs the demo simulator and other once-per-cluster work), else 0',
    registers: [this.registry],
  });

  private tvCounter: () => number = () => 0;
  private poolStats: () => PoolStats | undefined = () => undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'lw_' });
    // Read when scraped: readPoolWith and countTvsWith set them later. (In collect, `this` is the gauge.)
    const poolStats = () => this.poolStats();
    const tvCount = () => this.tvCounter();
    new PromGauge({
      name: 'lw_db_pool_connections',
      help: 'Database pool connections of this process, by state (total, idle, waiting for a connection, max)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const stats = poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.totalCount);
        this.set({ state: 'idle' }, stats.idleCount);
        this.set({ state: 'in_use' }, stats.totalCount - stats.idleCount);
        this.set({ state: 'waiting' }, stats.waitingCount);
        this.set({ state: 'max' }, stats.max);
      },
    });
    new PromGauge({
      name: 'lw_connected_tvs',
      help: 'TVs (board sockets) connected to this process, read when scraped',
      registers: [this.registry],
      collect() {
        this.set(tvCount());
      },
    });
  }

  countTvsWith(counter: () => number): void {
    this.tvCounter = counter;
  }

  readPoolWith(stats: () => PoolStats | undefined): void {
    this.poolStats = stats;
  }
}
