// What every report's answer shares: the segment it was filtered by, echoed back, and the sample-size
// flag beside each rate. Types only, imported by the three report contracts (marketing-roi, operations,
// outcomes); report-query.ts validates the query and builds the SQL behind them.

import type { PatientSegment } from '../domain/domain.contract.js';

/** How many leads a rate rests on: 'none' (0), 'small' (under report-query's SMALL_SAMPLE, 10), 'ok'. */
export type Sample = 'none' | 'small' | 'ok';

/** The segment as a response echoes it (so a page, the JSON and the CSV say what they show). */
export interface SegmentView {
  channel: string | null;
  sourceId: string | null;
  campaignId: string | null;
  staffId: string | null;
  treatment: string | null;
  patient: PatientSegment;
}
