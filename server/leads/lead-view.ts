// A lead as the API answers it, and the one adjustment it may carry: a timestamp a little ahead of
// the server's clock, stored as the server's now.

import type { Channel } from '../domain/domain.contract.js';
import type { Lead } from './lead.entity.js';

/** A lead as the API returns it: no patient details, no notes. */
export interface LeadView {
  id: string;
  externalId: string | null;
  channel: Channel;
  sourceId: string | null;
  campaignId: string | null;
  treatment: string | null;
  isNewPatient: boolean;
  createdAt: string;
  status: Lead['status'];
  firstResponseAt: string | null;
  firstResponseStaffId: string | null;
  notBookedReason: Lead['notBookedReason'];
  bookedAt: string | null;
  appointmentAt: string | null;
  assignedStaffId: string | null;
  estimatedValue: number | null;
  /** Set when this lead is the same person as an earlier lead and counts as a touch of it. */
  mergedIntoLeadId: string | null;
  /** Present only when a timestamp sent was changed before it was stored (clock skew): what and why. */
  adjusted?: ClockAdjustment[];
}

/** A timestamp a little ahead of the server's clock, stored as the server's now. */
export interface ClockAdjustment {
  field: string;
  sent: string;
  stored: string;
  reason: string;
}

/**
 * Times up to MAX_CLOCK_SKEW_MS ahead of the server's clock (the schemas refuse anything further) are a
 * sender's clock running fast, not the future: they are stored as the server's now. Otherwise a lead
 * stamped 3 minutes ahead would refuse every event (a first contact, a booking) until then, as an event
 * may not come before its lead. Returns the time to store and, when changed, the note the response carries.
 */
export function notAfterNow(field: string, sent: Date, now = new Date()): { value: Date; adjusted: ClockAdjustment | null } {
  if (sent.getTime() <= now.getTime()) return { value: sent, adjusted: null };
  return {
    value: now,
    adjusted: {
      field,
      sent: sent.toISOString(),
      stored: now.toISOString(),
      reason: `was ${Math.ceil((sent.getTime() - now.getTime()) / 1000)} s ahead of the server's clock (within the 5 minutes of clock skew tolerated): stored as the server's now`,
    },
  };
}

export function withAdjustments<T extends { adjusted?: ClockAdjustment[] }>(view: T, adjusted: Array<ClockAdjustment | null>): T {
  const notes = adjusted.filter((note): note is ClockAdjustment => note !== null);
  return notes.length === 0 ? view : { ...view, adjusted: notes };
}

export function toView(lead: Lead): LeadView {
  return {
    id: lead.id,
    externalId: lead.externalId,
    channel: lead.channel,
    sourceId: lead.sourceId,
    campaignId: lead.campaignId,
    treatment: lead.treatment,
    isNewPatient: lead.isNewPatient,
    createdAt: lead.createdAt.toISOString(),
    status: lead.status,
    firstResponseAt: lead.firstResponseAt?.toISOString() ?? null,
    firstResponseStaffId: lead.firstResponseStaffId,
    notBookedReason: lead.notBookedReason,
    bookedAt: lead.bookedAt?.toISOString() ?? null,
    appointmentAt: lead.appointmentAt?.toISOString() ?? null,
    assignedStaffId: lead.assignedStaffId,
    estimatedValue: lead.estimatedValue,
    mergedIntoLeadId: lead.mergedIntoLeadId,
  };
}
