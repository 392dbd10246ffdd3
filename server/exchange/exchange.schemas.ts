import { z } from 'zod';
import { checkRange, rangeShape } from '../reports/report-query.js';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const exportQuerySchema = z
  .strictObject({
    ...rangeShape,
    includeContacts: flag.default(false).meta({
      description: "Add patient name, phone and email columns (a call: the caller's number). Logged in phi_access_log with the ids exported.",
    }),
  })
  .superRefine(checkRange);
export type ExportQueryInput = z.infer<typeof exportQuerySchema>;

export const spendExportQuerySchema = z.strictObject({ ...rangeShape }).superRefine(checkRange);
export type SpendExportQuery = z.infer<typeof spendExportQuerySchema>;

export const importQuerySchema = z.strictObject({
  dryRun: flag.default(false).meta({ description: 'Validate every row and report what would be written; write nothing.' }),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

export const leadImportQuerySchema = importQuerySchema.extend({
  map: z.string().max(2000).optional().meta({ description: 'Column mapping, e.g. `createdAt=Date,channel=Source`.' }),
});
export type LeadImportQuery = z.infer<typeof leadImportQuerySchema>;
