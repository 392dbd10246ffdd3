// Query schemas of the operational views (funnel, speed-to-lead, missed calls, staff performance): the
// shared range and segment parameters (report-query.ts) and what each view adds or refuses. Validated by
// zod: a bad value is a 400 naming the parameter, an unknown parameter is refused.

import { z } from 'zod';
import { SPEED_TO_LEAD_CHANNELS } from '../domain/domain.contract.js';
import { checkRange, rangeShape, reportQuerySchema, segmentShape } from './report-query.js';

export const funnelQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    by: z.enum(['channel', 'source', 'campaign', 'staff', 'treatment', 'patient']).default('channel').meta({
      description: 'What the segment rows are grouped by (default channel).',
    }),
    interval: z.enum(['week', 'month']).default('week').meta({
      description: 'The trend period: ISO week (Monday to Sunday, practice-local) or calendar month (default week).',
    }),
  })
  .superRefine(checkRange);

/** Speed-to-lead covers the channels where the lead waits for the practice (SPEED_TO_LEAD_CHANNELS): asking
 * for phone or walk-in leads is refused (400) rather than answered with an empty report. */
export const speedToLeadQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    channel: segmentShape.channel.meta({
      description: `Only leads of this channel; one of ${SPEED_TO_LEAD_CHANNELS.join(', ')} (phone and walk-in leads are not in this view).`,
    }),
  })
  .superRefine((query, ctx) => {
    checkRange(query, ctx);
    if (query.channel && !SPEED_TO_LEAD_CHANNELS.includes(query.channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['channel'],
        message: `is not in this view (phone calls are answered live, walk-ins are in the room): one of ${SPEED_TO_LEAD_CHANNELS.join(', ')}`,
      });
    }
  });
export const staffPerformanceQuerySchema = reportQuerySchema;

/** Calls carry a staff member, a new-patient flag and are phone calls; they carry no source, campaign or
 * treatment. Those segments are refused (400) rather than silently ignored. */
export const missedCallsQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    channel: segmentShape.channel.meta({ description: 'Only phone applies to calls (any other channel is refused).' }),
    sourceId: segmentShape.sourceId.meta({ description: 'Refused: a call has no marketing source.' }),
    campaignId: segmentShape.campaignId.meta({ description: 'Refused: a call has no campaign.' }),
    treatment: segmentShape.treatment.meta({ description: 'Refused: a call has no treatment.' }),
    staffId: segmentShape.staffId.meta({
      description: 'Only calls taken by this staff member (call.staff_id); the phone leads of the revenue estimate are those this staff member handled.',
    }),
    patient: segmentShape.patient.meta({
      description: 'Calls flagged new patient, existing patient, or all (default); a call flagged neither way is only in all.',
    }),
  })
  .superRefine((query, ctx) => {
    checkRange(query, ctx);
    if (query.channel && query.channel !== 'phone') ctx.addIssue({ code: 'custom', path: ['channel'], message: 'only phone applies to calls' });
    for (const key of ['sourceId', 'campaignId', 'treatment'] as const) {
      if (query[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'does not apply to calls' });
    }
  });

export type FunnelQueryInput = z.infer<typeof funnelQuerySchema>;
