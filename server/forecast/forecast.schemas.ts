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
    .pipe(z.number().int().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }));

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
