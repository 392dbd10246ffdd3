import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MarketingSourcesService } from './marketing-sources.service.js';
import { PracticesService } from './practices.service.js';

/** Practices, their staff, marketing sources and campaigns. A new practice's credentials (ingest key,
 * TV display token) are issued through AuthModule's CredentialsService, their owner. */
@Module({ imports: [AuthModule], providers: [PracticesService, MarketingSourcesService], exports: [PracticesService, MarketingSourcesService] })
export class PracticesModule {}
