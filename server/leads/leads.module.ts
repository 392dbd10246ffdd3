import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { LeadsController } from './leads.controller.js';
import { LeadsService } from './leads.service.js';

/** The owner of the lead tables (lead, lead_event, contact_attempt, lead_merge, a lead's patient
 * details): the ingest API's /api/v1/leads and the writes other features ask of a lead. */
@Module({
  imports: [AuthModule, CallsModule],
  controllers: [LeadsController],
  providers: [LeadsService],
  exports: [LeadsService],
})
export class LeadsModule {}
