import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsController } from '../calls/calls.controller.js';
import { CallsService } from '../calls/calls.service.js';
import { LeadsController } from '../leads/leads.controller.js';
import { LeadsService } from '../leads/leads.service.js';
import { IngestService } from './ingest.service.js';

/** Ingest API v1: leads, their events, and calls. */
@Module({
  imports: [AuthModule],
  controllers: [LeadsController, CallsController],
  providers: [LeadsService, CallsService, IngestService],
  exports: [IngestService],
})
export class IngestModule {}
