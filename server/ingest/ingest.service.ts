import { Injectable } from '@nestjs/common';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { CallsService } from '../calls/calls.service.js';
import { LeadsService } from '../leads/leads.service.js';
import type { CallInput } from '../calls/call.schema.js';
import type { CreateLeadInput, LeadEventInput } from '../leads/lead.schemas.js';
import type { IngestPort } from './ingest.port.js';

/** The ingest port over real transactions: each call commits on its own, `batch` commits once. */
@Injectable()
export class IngestService implements IngestPort {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly leads: LeadsService,
    private readonly calls: CallsService,
  ) {}

  createLead(practiceId: string, input: CreateLeadInput) {
    return this.unitOfWork.run((tx) => this.leads.create(tx, practiceId, input));
  }

  applyLeadEvent(practiceId: string, leadId: string, input: LeadEventInput) {
    return this.unitOfWork.run((tx) => this.leads.applyEvent(tx, practiceId, leadId, input));
  }

  upsertCall(practiceId: string, input: CallInput) {
    return this.unitOfWork.run((tx) => this.calls.upsert(tx, practiceId, input));
  }

  batch<T>(work: (port: Omit<IngestPort, 'batch'>) => Promise<T>): Promise<T> {
    return this.unitOfWork.run((tx) => work(this.within(tx)));
  }

  /** The ingest port and the caller's own writes in ONE transaction: e.g. a webhook's delivery record
   * commits with the lead it delivers, or not at all. */
  inTransaction<T>(work: (tx: Tx, port: Omit<IngestPort, 'batch'>) => Promise<T>): Promise<T> {
    return this.unitOfWork.run((tx) => work(tx, this.within(tx)));
  }

  private within(tx: Tx): Omit<IngestPort, 'batch'> {
    return {
      createLead: (practiceId, input) => this.leads.create(tx, practiceId, input),
      applyLeadEvent: (practiceId, leadId, input) => this.leads.applyEvent(tx, practiceId, leadId, input),
      upsertCall: (practiceId, input) => this.calls.upsert(tx, practiceId, input),
    };
  }
}
