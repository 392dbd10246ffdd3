// Turns simulated actions into calls on the ingest port, exactly as the API would: each request is
// parsed by the API's own zod schema first, and simulator lead keys become real lead ids.

import { callSchema } from '../calls/call.schema.js';
import { createLeadSchema, leadEventSchema } from '../leads/lead.schemas.js';
import type { IngestPort } from '../ingest/ingest.port.js';
import type { LeadRequest, SimulatedAction } from './practice-simulator.js';

/** The port as seen inside and outside a batch. */
export type IngestWriter = Omit<IngestPort, 'batch'>;

/** An action the port (or validation) refused. Carries no patient details, so it can be logged. */
export interface ActionFailure {
  kind: SimulatedAction['kind'];
  /** The lead key or call id concerned. */
  key: string;
  at: Date;
  message: string;
}

/** Describes a failed action for a log line: which action, never what it contained. */
export function describeFailure(action: SimulatedAction, error: unknown): ActionFailure {
  const key = action.kind === 'call' ? action.input.externalId : action.ref;
  return { kind: action.kind, key, at: action.at, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Applies actions for one practice, remembering the lead id behind each simulator key. A key it
 * has not seen (a lead created before this applier existed) is resolved by sending the lead's own
 * create request again: ingest is idempotent by externalId, so that returns the existing lead.
 */
export class ActionApplier {
  private readonly leadIds = new Map<string, { id: string; createdAt: number }>();

  constructor(private readonly practiceId: string) {}

  /**
   * Parses and applies one action. `shiftMs` moves every timestamp in it by that much (for tests
   * that post a past simulated day as today); the live simulator never shifts, so sending an action
   * again sends the same request, which ingest makes a no-op. Rejects with the port's or the
   * schema's error; nothing is half-applied beyond what the port itself commits.
   */
  async apply(port: IngestWriter, action: SimulatedAction, shiftMs = 0): Promise<void> {
    switch (action.kind) {
      case 'lead': {
        await this.createLead(port, action.ref, shift(action.input, shiftMs));
        return;
      }
      case 'lead_event': {
        const leadId = await this.leadId(port, action.ref, action.lead);
        await port.applyLeadEvent(this.practiceId, leadId, leadEventSchema.parse(shift(action.input, shiftMs)));
        return;
      }
      case 'call': {
        const leadId = action.leadRef && action.lead ? await this.leadId(port, action.leadRef, action.lead) : undefined;
        const input = shift(action.input, shiftMs);
        await port.upsertCall(this.practiceId, callSchema.parse(leadId ? { ...input, leadId } : input));
        return;
      }
    }
  }

  /**
   * Applies actions in one `port.batch` (one transaction). An action that fails is reported and
   * skipped; if the batch itself fails to commit, every action it had applied is reported too (and
   * the ids of leads it created are forgotten). Resolves to the number of actions committed.
   */
  async applyBatch(port: IngestPort, actions: readonly SimulatedAction[], onFailure: (action: SimulatedAction, error: unknown) => void): Promise<number> {
    if (actions.length === 0) return 0;
    const applied: SimulatedAction[] = [];
    try {
      await port.batch(async (tx) => {
        for (const action of actions) {
          try {
            await this.apply(tx, action);
            applied.push(action);
          } catch (error) {
            onFailure(action, error);
          }
        }
      });
      return applied.length;
    } catch (error) {
      for (const action of applied) {
        if (action.kind === 'lead') this.leadIds.delete(action.ref);
        onFailure(action, error);
      }
      return 0;
    }
  }

  /** Drops remembered ids of leads created before `before` (epoch ms), so a long-running live
   * simulator keeps a bounded map. */
  forgetLeadsBefore(before: number): void {
    for (const [ref, lead] of this.leadIds) if (lead.createdAt < before) this.leadIds.delete(ref);
  }

  private async leadId(port: IngestWriter, ref: string, lead: LeadRequest): Promise<string> {
    return this.leadIds.get(ref)?.id ?? this.createLead(port, ref, lead);
  }

  private async createLead(port: IngestWriter, ref: string, request: LeadRequest): Promise<string> {
    const input = createLeadSchema.parse(request);
    const { value } = await port.createLead(this.practiceId, input);
    this.leadIds.set(ref, { id: value.id, createdAt: input.createdAt?.getTime() ?? Date.now() });
    return value.id;
  }
}

const INSTANT_FIELDS = ['createdAt', 'at', 'appointmentAt', 'startedAt', 'answeredAt', 'endedAt'] as const;

/** A copy of a request with every ISO timestamp moved by `ms` (the request itself when 0). */
function shift<T extends object>(request: T, ms: number): T {
  if (ms === 0) return request;
  const copy = { ...request } as Record<string, unknown>;
  for (const field of INSTANT_FIELDS) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = new Date(Date.parse(value) + ms).toISOString();
  }
  return copy as T;
}
