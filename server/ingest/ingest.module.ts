import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module.js';
import { LeadsModule } from '../leads/leads.module.js';
import { IngestService } from './ingest.service.js';

/** The ingest port for callers other than HTTP (the simulator, the history seeder, webhooks): the
 * leads and calls services inside one unit of work. The HTTP API is the leads and calls modules'. */
@Module({
  imports: [LeadsModule, CallsModule],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
