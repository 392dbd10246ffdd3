// Health for Docker, load balancers and orchestrators, open on purpose (no credentials; nothing about
// any practice in the answers):
// - GET /api/health/live: the process answers (its event loop turns). No database: restarting a
//   process does not bring a database back, so liveness must not fail while the database is away.
// - GET /api/health/ready: the process can serve: the database answers within READY_TIMEOUT_MS and,
//   on a PostgreSQL server, the event bus connection is up (without it this process's TVs would miss
//   other processes' changes). 503 otherwise; a proxy sends traffic elsewhere until it passes again.
// - GET /api/health: the readiness answer (kept for existing checks).

import { Controller, Get, Header, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.guard.js';
import { ClusterEventListener } from '../cluster/event-listener.js';

export const READY_TIMEOUT_MS = 2_000;

export interface Readiness {
  status: 'ok' | 'error';
  database: 'ok' | 'unreachable';
  eventBus: 'ok' | 'down' | 'not used';
}

/** SELECT 1 within `ms`, or false. */
export async function databaseAnswers(dataSource: DataSource, ms = READY_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('operations')
@Public() // load balancers and Docker ask without credentials
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(ClusterEventListener) private readonly bus: ClusterEventListener | null = null,
  ) {}

  @Get('live')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process answers (no database check)' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness: the database answers and the event bus is connected; 503 otherwise' })
  ready(): Promise<Readiness> {
    return this.readiness();
  }

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness (same as /api/health/ready)' })
  health(): Promise<Readiness> {
    return this.readiness();
  }

  private async readiness(): Promise<Readiness> {
    const database = (await databaseAnswers(this.dataSource)) ? 'ok' : 'unreachable';
    const eventBus = this.bus === null ? 'not used' : this.bus.listening ? 'ok' : 'down';
    const status = database === 'ok' && eventBus !== 'down' ? 'ok' : 'error';
    const answer: Readiness = { status, database, eventBus };
    if (status !== 'ok') throw new ServiceUnavailableException(answer);
    return answer;
  }
}
