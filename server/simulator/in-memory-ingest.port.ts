// A test double of the ingest port: keeps everything in memory and enforces the rules a simulator
// could break (idempotency by external id, events on known leads and not before them, one outcome
// per lead, calls linked to known leads). The real port, with its database, is tested elsewhere.

import { randomUUID } from 'node:crypto';
import type { IngestResult } from '../common/ingest-result.js';
import type { IngestPort, CallSummary, LeadSummary } from '../ingest/ingest.port.js';
import type { CallInput } from '../calls/call.schema.js';
import type { CreateLeadInput, LeadEventInput } from '../leads/lead.schemas.js';

export interface StoredLead {
  id: string;
  input: CreateLeadInput;
  status: 'open' | 'contacted' | 'booked' | 'not_booked';
  events: LeadEventInput[];
}

export class InMemoryIngestPort implements IngestPort {
  readonly leads = new Map<string, StoredLead>();
  readonly calls = new Map<string, CallInput & { id: string; updates: number }>();
  /** Sizes of the batches run, in order. */
  readonly batches: number[] = [];
  private readonly leadsByExternalId = new Map<string, StoredLead>();
  private readonly eventIds = new Set<string>();
  private inBatch = 0;

  async createLead(_practiceId: string, input: CreateLeadInput): Promise<IngestResult<LeadSummary>> {
    this.count();
    const existing = input.externalId ? this.leadsByExternalId.get(input.externalId) : undefined;
    if (existing) return { created: false, value: summary(existing) };
    const lead: StoredLead = { id: randomUUID(), input, status: 'open', events: [] };
    this.leads.set(lead.id, lead);
    if (input.externalId) this.leadsByExternalId.set(input.externalId, lead);
    return { created: true, value: summary(lead) };
  }

  async applyLeadEvent(_practiceId: string, leadId: string, input: LeadEventInput): Promise<IngestResult<LeadSummary>> {
    this.count();
    const lead = this.leads.get(leadId);
    if (!lead) throw new Error(`lead ${leadId} not found`);
    if (input.eventId && this.eventIds.has(input.eventId)) return { created: false, value: summary(lead) };
    if (input.at && lead.input.createdAt && input.at < lead.input.createdAt) throw new Error('event before the lead existed');
    if (lead.status === 'booked' || lead.status === 'not_booked') throw new Error(`lead is already ${lead.status}`);
    if (input.type === 'booked' || input.type === 'not_booked') lead.status = input.type;
    else lead.status = 'contacted';
    lead.events.push(input);
    if (input.eventId) this.eventIds.add(input.eventId);
    return { created: true, value: summary(lead) };
  }

  async upsertCall(_practiceId: string, input: CallInput): Promise<IngestResult<CallSummary>> {
    this.count();
    if (input.leadId && !this.leads.has(input.leadId)) throw new Error(`lead ${input.leadId} not found`);
    const existing = this.calls.get(input.externalId);
    const call = { ...existing, ...input, id: existing?.id ?? randomUUID(), updates: existing ? existing.updates + 1 : 0 };
    this.calls.set(input.externalId, call);
    return { created: !existing, value: { id: call.id, externalId: call.externalId, status: call.status } };
  }

  /** Runs the work at once; no rollback (a test that needs one fails the batch itself). */
  async batch<T>(work: (port: Omit<IngestPort, 'batch'>) => Promise<T>): Promise<T> {
    this.batches.push(0);
    this.inBatch++;
    try {
      return await work(this);
    } finally {
      this.inBatch--;
    }
  }

  private count(): void {
    if (this.inBatch > 0) this.batches[this.batches.length - 1]! += 1;
  }
}

function summary(lead: StoredLead): LeadSummary {
  return { id: lead.id, status: lead.status, createdAt: (lead.input.createdAt ?? new Date()).toISOString() };
}
