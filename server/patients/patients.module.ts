import { Module } from '@nestjs/common';
import { PatientsService } from './patients.service.js';

/** The owner of the patient table (PHI); the leads and calls modules write their people through it. */
@Module({ providers: [PatientsService], exports: [PatientsService] })
export class PatientsModule {}
