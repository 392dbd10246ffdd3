import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { PatientsModule } from '../patients/patients.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { LeadIntake } from './lead-intake.js';
import { LeadMerges } from './lead-merges.js';
import { LeadStatusMachine } from './lead-status-machine.js';
import { LeadsController } from './leads.controller.js';
import { LeadsService } from './leads.service.js';

/** The owner of the lead tables (lead, lead_event, contact_attempt, lead_merge): the ingest API's
 * /api/v1/leads and the writes other features ask of a lead. */
@Module({
  imports: [AuthModule, CallsModule, PatientsModule, PracticesModule],
  controllers: [LeadsController],
  providers: [LeadsService, LeadIntake, LeadStatusMachine, LeadMerges],
  exports: [LeadsService],
})
export class LeadsModule {}
