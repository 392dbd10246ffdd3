// The receiving half of the event bus (event-bus.ts): one dedicated connection per server process that
// LISTENs, hands each committed event once to this process's DomainEvents, and reports missed ones.

import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { DomainEvents } from '../events/domain-events.js';
import { MetricsService } from '../observability/metrics.service.js';
import { decodeNotification, EVENT_CHANNEL, PROCESS_ORIGIN, SequenceTracker } from './event-bus.js';

/** Re-open a lost connection after this long (then every RETRY_MS while the database is away). */
export const RETRY_MS = 1_000;
/** A silent connection is probed this often: a dead one is noticed within PROBE_MS + PROBE_TIMEOUT_MS. */
export const PROBE_MS = 5_000;
const PROBE_TIMEOUT_MS = 3_000;

@Injectable()
export class ClusterEventListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterEventListener.name);
  private readonly tracker = new SequenceTracker();
  private client: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private everConnected = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly events: DomainEvents,
    private readonly metrics: MetricsService,
  ) {}

  /** True while the LISTEN connection is up (readiness reports it). */
  get listening(): boolean {
    return this.client !== null;
  }

  async onModuleInit(): Promise<void> {
    // The first connection must work: a process that cannot listen must not serve TVs.
    await this.connect().catch((error: unknown) => {
      this.closed = true;
      throw error;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    const client = this.client;
    this.client = null;
    this.events.listening = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'lead-wallboard:listen',
      keepAlive: true,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      query_timeout: PROBE_TIMEOUT_MS,
    });
    client.on('notification', (message) => {
      if (message.channel === EVENT_CHANNEL) this.deliver(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN ${EVENT_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.events.listening = true;
    this.tracker.reset();
    if (this.everConnected) {
      // Whatever was committed while the connection was down never reached us: rebuild every board.
      this.metrics.eventGaps.inc();
      this.events.missed(null);
      this.logger.log('event bus connection re-opened: boards rebuild from the database');
    }
    this.everConnected = true;
    this.probeTimer ??= setInterval(() => void this.probe(), PROBE_MS);
    this.probeTimer.unref();
  }

  private deliver(payload: string | undefined): void {
    const notification = decodeNotification(payload);
    if (!notification) {
      this.logger.warn('event bus: malformed notification ignored');
      return;
    }
    const { apply, missed } = this.tracker.accept(notification.practiceId, notification.seq);
    if (!apply) return;
    this.metrics.eventLag.observe(
      { origin: notification.origin === PROCESS_ORIGIN ? 'self' : 'peer' },
      Math.max(0, Date.now() - notification.committedAt) / 1000,
    );
    if (missed || notification.events === null) {
      this.metrics.eventGaps.inc();
      this.events.missed(notification.practiceId);
    }
    for (const event of notification.events ?? []) {
      try {
        this.events.emit(event, { committedAt: notification.committedAt });
      } catch (error) {
        // A listener's failure must not stop the events after it (or this connection).
        this.logger.error(`event listener failed on ${event.name}: ${(error as Error).message}`);
      }
    }
    this.events.delivered(notification.practiceId, notification.seq);
  }

  private async probe(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.query('SELECT 1');
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client && this.client !== null) return; // an old connection's late news
    if (this.client === client) {
      this.client = null;
      this.events.listening = false;
      this.logger.warn(`event bus connection lost (${error.message}): re-opening`);
      void client.end().catch(() => undefined);
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((error: Error) => {
        this.logger.warn(`event bus: cannot reconnect yet (${error.message})`);
        this.scheduleRetry();
      });
    }, RETRY_MS);
    this.retryTimer.unref();
  }
}
