// Query and body schemas of the reports and spend API, validated by the global StandardSchemaValidationPipe
// through `@Query({ schema })` / `@Body({ schema })`: a bad value is a 400 naming the parameter. Unknown
// parameters are refused, so a typo does not silently fall back to a default.

import { z } from 'zod';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** A real calendar date (2026-02-30 is refused), practice-local. */
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text && text >= '2000-01-01';
  }, { message: 'must be a real date YYYY-MM-DD from 2000 on' });

/** A calendar month YYYY-MM. */
const localMonth = z.string().regex(/^(\d{4})-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' }).refine((text) => text >= '2000-01', {
  message: 'must be 2000-01 or later',
});

/** Longest range a report covers: about five years. */
export const MAX_REPORT_DAYS = 5 * 366;

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

export const marketingRoiQuerySchema = z
  .strictObject({
    from: localDate.optional().meta({ description: 'First day, practice-local, inclusive. Default: 89 days before `to`.' }),
    to: localDate.optional().meta({ description: 'Last day, practice-local, inclusive. Default: today.' }),
    newPatientsOnly: flag.default(false).meta({ description: 'Only leads marked as new patients.' }),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.to < query.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${query.from})` });
    } else if (query.from && query.to && daysBetween(query.from, query.to) >= MAX_REPORT_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `is more than ${MAX_REPORT_DAYS} days after from` });
    }
  });
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
