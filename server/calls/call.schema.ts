// Request body of POST /api/v1/calls as a zod schema: validated by NestJS's
// StandardSchemaValidationPipe, documented in OpenAPI, and the input type of CallsService.

import { z } from 'zod';
import { externalId, instant, staffId } from '../common/api-fields.js';
import { CALL_DIRECTIONS, CALL_STATUSES } from '../domain/domain.contract.js';

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
