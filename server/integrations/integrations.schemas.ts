import { z } from 'zod';
import { callSchema } from '../calls/call.schema.js';
import { createLeadSchema } from '../leads/lead.schemas.js';

const deliveryId = z.string().trim().min(1).max(200).meta({
  description: 'Your id for this delivery. Sending it again changes nothing and returns the first answer.',
});

/** The generic signed webhook's body: a lead or a call, exactly as the ingest API takes them. */
export const webhookEnvelopeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('lead'), deliveryId, data: createLeadSchema }),
  z.strictObject({ type: z.literal('call'), deliveryId, data: callSchema }),
]);
