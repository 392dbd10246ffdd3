import { Module } from '@nestjs/common';
import { MarketingSourcesService } from './marketing-sources.service.js';
import { PracticesService } from './practices.service.js';

/** Practices, their staff, marketing sources and campaigns, and the credentials of their TVs. */
@Module({ providers: [PracticesService, MarketingSourcesService], exports: [PracticesService, MarketingSourcesService] })
export class PracticesModule {}
