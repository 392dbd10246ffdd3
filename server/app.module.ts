import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { DatabaseErrorFilter } from './common/database-errors.js';
import { AdminModule } from './admin/admin.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import type { AppConfig } from './config/app-config.js';
import { START_RETRY } from './database/data-source.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { ExchangeModule } from './exchange/exchange.module.js';
import { FollowUpsModule } from './followups/followups.module.js';
import { ForecastModule } from './forecast/forecast.module.js';
import { HealthController } from './health/health.controller.js';
import { IngestModule } from './ingest/ingest.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './observability/metrics.module.js';
import { PracticesModule } from './practices/practices.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RateLimitModule } from './ratelimit/rate-limit.js';
import { UsersModule } from './users/users.module.js';

/** The whole app. Settings reach each module as the slice it needs, through its forRoot(config): there
 * is no config provider to inject, so a module's forRoot signature says which settings it reads. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger?: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({ ...config, logger, retryUntilReachable: START_RETRY }),
        MetricsModule,
        ClusterModule.forRoot(config),
        PracticesModule,
        IngestModule,
        LiveModule,
        DemoModule,
        ForecastModule,
        UsersModule.forRoot(config),
        IntegrationsModule.forRoot(config),
        ReportsModule,
        FollowUpsModule,
        ExchangeModule,
        RateLimitModule.forRoot(config),
        AdminModule.forRoot(config),
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: DatabaseErrorFilter }],
    };
  }
}
