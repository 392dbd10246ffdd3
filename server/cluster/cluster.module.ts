// Several server processes on one PostgreSQL database act as one: the event bus listener (committed
// domain events reach every process) and the leader lock (run-once work on one process at a time).
// On the embedded database (one process) there is no listener, and this process is the leader.

import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { DomainEvents } from '../events/domain-events.js';
import { MetricsService } from '../observability/metrics.service.js';
import { ClusterEventListener } from './event-listener.js';
import { AdvisoryLeader, LEADER_POLL_MS, type LeaderTask } from './leader.js';

export const CLUSTER_SETTINGS = Symbol('CLUSTER_SETTINGS');
interface ClusterSettings {
  databaseUrl: string | undefined;
  leaderPollMs: number;
}

/** This process's view of the leader lock; run-once work registers with `runWhileLeader`. */
@Injectable()
export class ClusterLeader implements OnApplicationShutdown {
  private readonly leader: AdvisoryLeader;
  private started: Promise<void> | null = null;

  constructor(@Inject(CLUSTER_SETTINGS) settings: ClusterSettings, metrics: MetricsService) {
    metrics.isLeader.set(0);
    this.leader = new AdvisoryLeader(settings.databaseUrl, settings.leaderPollMs, (leading) => metrics.isLeader.set(leading ? 1 : 0));
  }

  get isLeader(): boolean {
    return this.leader.isLeader;
  }

  /** Starts competing for the lock (first call), and runs `task` whenever this process holds it. */
  async runWhileLeader(task: LeaderTask): Promise<void> {
    await this.leader.add(task);
    this.started ??= this.leader.start();
    await this.started;
  }

  /** Competes for the lock without work of its own (tests, and processes that only serve). */
  start(): Promise<void> {
    this.started ??= this.leader.start();
    return this.started;
  }

  onApplicationShutdown(): Promise<void> {
    return this.leader.stop();
  }
}

@Global()
@Module({})
export class ClusterModule {
  static forRoot(config: Pick<AppConfig, 'databaseUrl'> & { leaderPollMs?: number }): DynamicModule {
    const settings: ClusterSettings = { databaseUrl: config.databaseUrl, leaderPollMs: config.leaderPollMs ?? LEADER_POLL_MS };
    const databaseUrl = config.databaseUrl;
    return {
      module: ClusterModule,
      providers: [
        { provide: CLUSTER_SETTINGS, useValue: settings },
        ClusterLeader,
        ...(databaseUrl === undefined
          ? []
          : [
              {
                provide: ClusterEventListener,
                inject: [DomainEvents, MetricsService],
                useFactory: (events: DomainEvents, metrics: MetricsService) => new ClusterEventListener(databaseUrl, events, metrics),
              },
            ]),
      ],
      exports: [ClusterLeader, ...(databaseUrl === undefined ? [] : [ClusterEventListener])],
    };
  }
}
