// Request bodies and parameters of the follow-up API, validated by the global
// StandardSchemaValidationPipe: a bad value is a 400 whose message names the field.

import { z } from 'zod';
import { CADENCE_TARGETS, CONTACT_KINDS, CONTACT_OUTCOMES } from '../domain/domain.contract.js';
import { instant } from '../common/api-fields.js';
import { cadenceSchema } from './cadence.js';
import type { Cadence } from './followups.contract.js';

/** PUT /follow-ups/cadences/:channel: a cadence, or `{ "useDefault": true }` to drop a channel's override
 * (or the practice's default, back to the built-in one). One object schema rather than a union, so a
 * mistake is reported on its own field (`steps.0.after.minutes: ...`). */
export const putCadenceSchema = z
  .strictObject({
    useDefault: z.literal(true, { message: 'must be true (drops the override)' }).optional(),
    steps: cadenceSchema.shape.steps.optional(),
    maxAttempts: cadenceSchema.shape.maxAttempts.optional(),
  })
  .superRefine((body, ctx) => {
    for (const field of ['steps', 'maxAttempts'] as const) {
      if (body.useDefault && body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'must be left out with useDefault' });
      if (!body.useDefault && body[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'is required (or send {"useDefault": true})' });
      }
    }
  })
  .transform((body): { useDefault: true } | Cadence => (body.useDefault ? { useDefault: true } : { steps: body.steps!, maxAttempts: body.maxAttempts! }));
export type PutCadenceInput = z.infer<typeof putCadenceSchema>;

export const cadenceTargetSchema = z.enum(CADENCE_TARGETS, { message: `must be one of ${CADENCE_TARGETS.join(', ')}` });

export const attemptSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS),
  outcome: z.enum(CONTACT_OUTCOMES),
  staffId: z.uuid({ message: 'must be a staff id (UUID)' }).optional(),
  at: instant.optional().meta({ description: 'When the attempt was made; defaults to now.' }),
  eventId: z.string().trim().min(1).max(200).optional().meta({
    description: 'Your id for this attempt (e.g. a UUID made when the button was pressed): sending it again changes nothing.',
  }),
});
export type AttemptInput = z.infer<typeof attemptSchema>;

export const doNotContactSchema = z
  .strictObject({
    undo: z.boolean().optional().meta({ description: 'true: the lead may be contacted again.' }),
  })
  .default({});
export type DoNotContactInput = z.infer<typeof doNotContactSchema>;

export const calledBackSchema = z
  .strictObject({
    at: instant.optional().meta({ description: 'When the caller was called back (not before the call started); defaults to now.' }),
  })
  .default({});
export type CalledBackInput = z.infer<typeof calledBackSchema>;
