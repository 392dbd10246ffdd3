// Request bodies of the ingest API v1, as zod schemas: validated by NestJS's
// StandardSchemaValidationPipe, documented in OpenAPI through z.toJSONSchema, and used as the
// input types of the ingest services (which the simulator calls too).

import { z } from 'zod';
import {
  CALL_DIRECTIONS,
  CALL_STATUSES,
  CHANNELS,
  CONTACT_KINDS,
  CONTACT_OUTCOMES,
  NOT_BOOKED_REASONS,
  RESPONSE_VIA,
} from '../domain/domain.contract.js';

/** Timestamps before this are typos, not history. */
export const EARLIEST_ACCEPTED_TIME = Date.parse('2000-01-01T00:00:00Z');
/** Clock skew tolerated for timestamps "from the future". */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** An ISO 8601 instant with an offset or Z, not absurdly old and not in the future. Parsed to a Date. */
export const instant = z
  .iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:30:00Z' })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= EARLIEST_ACCEPTED_TIME, { message: 'is before the year 2000' })
  .refine((date) => date.getTime() <= Date.now() + MAX_CLOCK_SKEW_MS, { message: 'is in the future' });

/** Like `instant` but may lie in the future (appointments). */
export const futureInstant = z
  .iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:30:00Z' })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= EARLIEST_ACCEPTED_TIME, { message: 'is before the year 2000' })
  .refine((date) => date.getTime() <= Date.now() + 5 * 366 * 24 * 3600 * 1000, { message: 'is more than 5 years ahead' });

const externalId = z.string().trim().min(1).max(200);
const name = z.string().trim().min(1).max(200);
const money = z.number().finite().min(0).max(10_000_000);
const staffId = z.uuid({ message: 'must be a staff id (UUID)' });

export const patientDetailsSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().min(3).max(40).optional(),
    email: z.email().max(320).optional(),
  })
  .meta({ description: 'Patient contact details. Stored apart from the lead, never shown on a board.' });
export type PatientDetailsInput = z.infer<typeof patientDetailsSchema>;

export const createLeadSchema = z
  .strictObject({
    externalId: externalId.optional().meta({
      description: 'Your id for this lead. Sending the same id again returns the existing lead (200) and changes nothing.',
    }),
    channel: z.enum(CHANNELS),
    source: name.optional().meta({ description: 'Marketing source name, e.g. "Google Ads". Created on first use.' }),
    campaign: name.optional().meta({ description: 'Campaign name within the source. Needs `source`.' }),
    treatment: z.string().trim().min(1).max(100).optional(),
    isNewPatient: z.boolean().default(true),
    createdAt: instant.optional().meta({ description: 'When the enquiry arrived; defaults to now.' }),
    assignedStaffId: staffId.optional(),
    estimatedValue: money.optional(),
    patient: patientDetailsSchema.optional(),
  })
  .refine((lead) => lead.campaign === undefined || lead.source !== undefined, {
    message: 'needs `source` as well',
    path: ['campaign'],
  });
export type CreateLeadInput = z.infer<typeof createLeadSchema>;

const eventId = externalId.optional().meta({
  description: 'Your id for this event. Sending it again returns the first result and changes nothing.',
});

export const respondedEventSchema = z.strictObject({
  type: z.literal('responded'),
  eventId,
  at: instant.optional(),
  staffId: staffId.optional(),
  via: z.enum(RESPONSE_VIA),
});
export const bookedEventSchema = z.strictObject({
  type: z.literal('booked'),
  eventId,
  at: instant.optional(),
  appointmentAt: futureInstant.optional(),
  value: money.optional().meta({ description: 'Expected value of the treatment booked.' }),
  staffId: staffId.optional(),
});
export const notBookedEventSchema = z.strictObject({
  type: z.literal('not_booked'),
  eventId,
  at: instant.optional(),
  reason: z.enum(NOT_BOOKED_REASONS),
  note: z.string().trim().max(2000).optional().meta({ description: 'Free text; kept private, never shown on a board.' }),
  staffId: staffId.optional(),
});
export const contactAttemptEventSchema = z.strictObject({
  type: z.literal('contact_attempt'),
  eventId,
  at: instant.optional(),
  kind: z.enum(CONTACT_KINDS),
  outcome: z.enum(CONTACT_OUTCOMES),
  staffId: staffId.optional(),
});

export const leadEventSchema = z.discriminatedUnion('type', [
  respondedEventSchema,
  bookedEventSchema,
  notBookedEventSchema,
  contactAttemptEventSchema,
]);
export type LeadEventInput = z.infer<typeof leadEventSchema>;

export const callSchema = z
  .strictObject({
    externalId: externalId.meta({
      description: "The phone system's call id. Later messages for the same call update it, never duplicate it.",
    }),
    direction: z.enum(CALL_DIRECTIONS).default('inbound'),
    status: z.enum(CALL_STATUSES),
    startedAt: instant.optional().meta({ description: 'When the call started ringing; defaults to now on first sight.' }),
    answeredAt: instant.optional(),
    endedAt: instant.optional(),
    waitSeconds: z.number().int().min(0).max(86_400).optional(),
    talkSeconds: z.number().int().min(0).max(86_400).optional(),
    staffId: staffId.optional(),
    leadId: z.uuid().optional().meta({ description: 'The lead this call belongs to, if known.' }),
    isNewPatient: z.boolean().optional(),
    from: z.string().trim().min(3).max(40).optional().meta({
      description:
        "The patient's number: the caller of an inbound call, the number called by an outbound one. Stored with patient details; an outbound call to the number of a missed call counts as its call back.",
    }),
  })
  .refine((call) => !call.answeredAt || !call.startedAt || call.answeredAt >= call.startedAt, {
    message: 'is before startedAt',
    path: ['answeredAt'],
  })
  .refine((call) => !call.endedAt || !call.startedAt || call.endedAt >= call.startedAt, {
    message: 'is before startedAt',
    path: ['endedAt'],
  });
export type CallInput = z.infer<typeof callSchema>;
