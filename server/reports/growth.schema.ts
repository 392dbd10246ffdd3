// The growth view's query parameters (GET /reports/growth and its CSV): the shared range and segment,
// and the growth bridge's base period. Validated by zod: a bad value is a 400 naming the parameter.

import { z } from 'zod';
import { daysBetween } from '../common/local-date.js';
import { localDate, MAX_REPORT_DAYS, rangeShape, segmentShape } from './report-query.js';

export const GROWTH_TABLES = ['bridge', 'weekly', 'monthly', 'yoy', 'seasonality-months', 'seasonality-weekdays'] as const;
export type GrowthTable = (typeof GROWTH_TABLES)[number];

const growthShape = {
  ...rangeShape,
  ...segmentShape,
  compare: z.enum(['previous', 'year']).default('previous').meta({
    description: 'Bridge base period when compareFrom/compareTo are not given: the same length immediately before (default), or the same dates a year earlier.',
  }),
  compareFrom: localDate.optional().meta({ description: 'Bridge base period first day (with compareTo).' }),
  compareTo: localDate.optional().meta({ description: 'Bridge base period last day (with compareFrom).' }),
};

function checkGrowth(query: { from?: string; to?: string; compareFrom?: string; compareTo?: string }, ctx: z.RefinementCtx): void {
  if (query.from && query.to && query.to < query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${query.from})` });
  else if (query.from && query.to && daysBetween(query.from, query.to) >= MAX_REPORT_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `is more than ${MAX_REPORT_DAYS} days after from` });
  }
  if ((query.compareFrom === undefined) !== (query.compareTo === undefined)) {
    ctx.addIssue({ code: 'custom', path: [query.compareFrom === undefined ? 'compareFrom' : 'compareTo'], message: 'compareFrom and compareTo go together' });
  } else if (query.compareFrom && query.compareTo) {
    if (query.compareTo < query.compareFrom) ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `is before compareFrom (${query.compareFrom})` });
    else if (daysBetween(query.compareFrom, query.compareTo) >= MAX_REPORT_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `is more than ${MAX_REPORT_DAYS} days after compareFrom` });
    }
  }
}

export const growthQuerySchema = z.strictObject(growthShape).superRefine(checkGrowth);
export type GrowthQuery = z.infer<typeof growthQuerySchema>;
export const growthCsvQuerySchema = z
  .strictObject({
    ...growthShape,
    table: z.enum(GROWTH_TABLES).default('bridge').meta({ description: 'Which table of the view the CSV holds (default bridge).' }),
  })
  .superRefine(checkGrowth);
export type GrowthCsvQuery = z.infer<typeof growthCsvQuerySchema>;
