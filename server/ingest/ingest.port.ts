// What the ingest services offer to callers other than HTTP: the simulator and the history seeder
// go through exactly this, so simulated data takes the same validation, transitions and events as
// the API's.

import type { CallInput } from '../calls/call.schema.js';
import type { IngestResult } from '../common/ingest-result.js';
import type { CreateLeadInput, LeadEventInput } from '../leads/lead.schemas.js';

export interface LeadSummary {
  id: string;
  status: string;
  createdAt: string;
}

export interface CallSummary {
  id: string;
  externalId: string;
  status: string;
}

/** A unit of work: every call inside `batch` shares one transaction and the board is told once
 * after commit. Used by the history seeder to load years of data quickly through the same code. */
export interface IngestPort {
  createLead(practiceId: string, input: CreateLeadInput): Promise<IngestResult<LeadSummary>>;
  applyLeadEvent(practiceId: string, leadId: string, input: LeadEventInput): Promise<IngestResult<LeadSummary>>;
  upsertCall(practiceId: string, input: CallInput): Promise<IngestResult<CallSummary>>;
  batch<T>(work: (port: Omit<IngestPort, 'batch'>) => Promise<T>): Promise<T>;
}
