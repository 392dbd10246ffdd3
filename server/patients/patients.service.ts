// The one writer of the patient table (PHI: the contact details of the person behind a lead or a
// call). Leads and calls store their person's details through here, inside their own transaction.

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Patient } from './patient.entity.js';

export interface PatientDetails {
  name?: string;
  phone?: string;
  email?: string;
}

@Injectable()
export class PatientsService {
  /** The lead's patient details, when any were sent. */
  async addForLead(manager: EntityManager, practiceId: string, leadId: string, details: PatientDetails | undefined): Promise<void> {
    if (!details || !(details.name || details.phone || details.email)) return;
    await manager.insert(Patient, { practiceId, leadId, name: details.name ?? null, phone: details.phone ?? null, email: details.email ?? null });
  }

  /** The caller's number of a call (the number called, for an outbound one). */
  async addForCall(manager: EntityManager, practiceId: string, callId: string, phone: string): Promise<void> {
    await manager.insert(Patient, { practiceId, callId, phone });
  }
}
