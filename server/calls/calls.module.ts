import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PatientsModule } from '../patients/patients.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { CallsController } from './calls.controller.js';
import { CallsService } from './calls.service.js';

/** The owner of the call table: the ingest API's /api/v1/calls, call backs, and the writes other
 * features ask of a call. */
@Module({
  imports: [AuthModule, PatientsModule, PracticesModule],
  controllers: [CallsController],
  providers: [CallsService],
  exports: [CallsService],
})
export class CallsModule {}
