// Request bodies of the leads API (POST /api/v1/leads and /leads/{id}/events) as zod schemas:
// validated by NestJS's StandardSchemaValidationPipe, documented in OpenAPI through z.toJSONSchema,
// and the input types of LeadsService (which the simulator and the imports call too).

import { z } from 'zod';
import { futureInstant, instant, externalId, money, nameField, staffId } from '../common/api-fields.js';
import { CHANNELS, CONTACT_KINDS, CONTACT_OUTCOMES, NOT_BOOKED_REASONS, RESPONSE_VIA } from '../domain/domain.contract.js';
import { patientDetailsSchema } from '../patients/patient-details.schema.js';

export const createLeadSchema = z
  .strictObject({
    externalId: externalId.optional().meta({
      description: 'Your id for this lead. Sending the same id again returns the existing lead (200) and changes nothing.',
    }),
    channel: z.enum(CHANNELS),
    source: nameField.optional().meta({ description: 'Marketing source name, e.g. "Google Ads". Created on first use.' }),
    campaign: nameField.optional().meta({ description: 'Campaign name within the source. Needs `source`.' }),
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

export const leadEventSchema = z.discriminatedUnion('type', [respondedEventSchema, bookedEventSchema, notBookedEventSchema, contactAttemptEventSchema]);
export type LeadEventInput = z.infer<typeof leadEventSchema>;
