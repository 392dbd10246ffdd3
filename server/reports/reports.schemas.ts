// Query and body schemas of the reports and spend API, validated by the global StandardSchemaValidationPipe
// through `@Query({ schema })` / `@Body({ schema })`: a bad value is a 400 naming the parameter. Unknown
// parameters are refused, so a typo does not silently fall back to a default.

import { z } from 'zod';
import { checkRange, localMonth, rangeShape, segmentShape } from './report-query.js';

/** The Marketing ROI report takes the range and the segments every view takes, but counts NEW patients
 * unless asked otherwise: the question it answers is what marketing costs per new patient acquired
 * (existing patients booking again flattered cost per booking and ROI). patient=all gives the old figures. */
export const marketingRoiQuerySchema = z
  .strictObject({
    ...rangeShape,
    ...segmentShape,
    patient: z.enum(['all', 'new', 'existing']).default('new').meta({
      description: 'New patients (default: marketing is judged on the new patients it brings), existing patients, or all.',
    }),
  })
  .superRefine(checkRange);
export type MarketingRoiQuery = z.infer<typeof marketingRoiQuerySchema>;

export const spendQuerySchema = z
  .strictObject({
    from: localMonth.optional().meta({ description: 'First month YYYY-MM, inclusive. Default: 11 months before `to`.' }),
    to: localMonth.optional().meta({ description: 'Last month YYYY-MM, inclusive. Default: this month (practice-local).' }),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.to < query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${query.from})` });
  });
export type SpendQuery = z.infer<typeof spendQuerySchema>;

export const putSpendSchema = z.strictObject({
  sourceId: z.uuid({ message: 'must be a marketing source id (UUID)' }),
  campaignId: z.uuid({ message: 'must be a campaign id (UUID)' }).nullable().optional().meta({
    description: 'The campaign within the source; omit (or null) for spend on the source as a whole.',
  }),
  month: localMonth.meta({ description: 'Calendar month of the spend, YYYY-MM (practice-local).' }),
  amount: z
    .number()
    .finite()
    .min(0, { message: 'must be at least 0' })
    .max(9_999_999_999.99, { message: 'is too large' })
    .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, { message: 'must have at most 2 decimals' }),
});
export type PutSpendInput = z.infer<typeof putSpendSchema>;
