// Query parameters of the forecast API as zod schemas, validated by the global
// StandardSchemaValidationPipe through `@Query({ schema })`: a bad value is a 400 naming the parameter.
// Unknown parameters are refused too, so a typo ("horizen=30") does not silently use the default.

import { z } from 'zod';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** A whole number from the query string within [min, max]. */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `must be at least ${min}` })
        .max(max, { message: `must be at most ${max}` }),
    );

export const leadForecastQuerySchema = z.strictObject({
  horizon: integer(1, 365).default(90).meta({ description: 'Days ahead to forecast (1-365), from today.' }),
  by: z.enum(['channel']).optional().meta({ description: '`channel`: also one forecast per channel.' }),
  refresh: flag.default(false).meta({ description: 'Recompute now instead of using the nightly cache.' }),
});
export type LeadForecastQuery = z.infer<typeof leadForecastQuerySchema>;

export const revenueForecastQuerySchema = z.strictObject({
  months: integer(1, 24).default(12).meta({ description: 'Months to project, the current month first (1-24).' }),
  refresh: flag.default(false),
});
export type RevenueForecastQuery = z.infer<typeof revenueForecastQuerySchema>;

/** A decimal number from the query string within [min, max] (max exclusive when `below`). */
const decimal = (min: number, max: number, below = false) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'must be a number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { message: `must be at least ${min}` })
        .refine((x) => (below ? x < max : x <= max), { message: below ? `must be below ${max}` : `must be at most ${max}` }),
    );

/** Staff on shift: one count for every open interval, 168 hourly counts, or one per interval (336 half
 * hours, 672 quarter hours), Monday 00:00 first, practice-local. */
const staffCounts = z.string().transform((text, ctx) => {
  const parts = text.split(',').map((part) => part.trim());
  if (![1, 168, 336, 672].includes(parts.length) || parts.some((part) => !/^\d{1,4}$/.test(part))) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be one whole number, or 168 (hourly), 336 (half-hourly) or 672 (quarter-hourly) comma-separated whole numbers, Monday 00:00 first',
    });
    return z.NEVER;
  }
  return parts.map(Number);
});

export const staffingQuerySchema = z.strictObject({
  ahtSeconds: decimal(1, 7200).default(240).meta({ description: 'Average handle time of a call (talk plus wrap-up), seconds.' }),
  targetSeconds: decimal(0, 3600).default(20).meta({ description: 'T in "answered within T seconds".' }),
  serviceLevel: decimal(0, 1, true).default(0.8).meta({ description: 'Share of calls to answer within T (0-1).' }),
  patienceSeconds: decimal(1, 3600)
    .optional()
    .meta({ description: 'Mean caller patience: with it, callers hang up (Erlang A) and missed calls are expected.' }),
  shrinkage: decimal(0, 1, true).default(0.3).meta({ description: 'Share of paid time off the phones: breaks, meetings, patients at the desk (0-1).' }),
  interval: z
    .enum(['auto', '15', '30', '60'])
    .default('auto')
    .transform((value) => (value === 'auto' ? ('auto' as const) : (Number(value) as 15 | 30 | 60)))
    .meta({ description: 'Minutes per planning interval: 15, 30, 60, or auto (the finest the call history supports; hourly otherwise).' }),
  staff: staffCounts.optional().meta({
    description:
      'Staff on shift: one number (whenever the practice is open), or one per interval of the week (168 hourly, 336 half-hourly, 672 quarter-hourly; Monday 00:00 first).',
  }),
  refresh: flag.default(false),
});
export type StaffingQuery = z.infer<typeof staffingQuerySchema>;
