// The Marketing ROI report's response shapes (GET /api/v1/reports/marketing-roi) and the spend entries
// (GET/PUT /api/v1/marketing-spend): the one definition the server builds and the reports page reads
// (imported there with `import type`), so the two can never drift. Types only: nothing a browser build
// could not take.

import type { Sample, SegmentView } from './report.contract.js';

export type { Sample, SegmentView };

export interface MarketingRoiRow {
  level: 'total' | 'source' | 'campaign';
  /** null for "(no source)" and for the totals row. */
  sourceId: string | null;
  sourceName: string;
  campaignId: string | null;
  campaignName: string | null;
  leads: number;
  /** Leads created in the range that are booked (whenever the booking happened). */
  bookings: number;
  /** bookings / leads, 4 decimals; null when there are no leads. */
  conversion: number | null;
  /** 'none': no leads; 'small': under 10 leads; 'ok'. */
  sample: Sample;
  /** Sum of estimated_value of the booked leads. */
  estimatedRevenue: number;
  /** Sum of actual_value of the leads; null when none of them has one. */
  actualRevenue: number | null;
  /** Prorated spend; null when no spend was entered for any month the range touches. */
  spend: number | null;
  spendEntered: boolean;
  costPerLead: number | null;
  costPerBooking: number | null;
  /** (estimatedRevenue - spend) / spend; null without spend (or with a spend of 0). */
  roi: number | null;
  /** (actualRevenue - spend) / spend; null without spend or without actual revenue. */
  roiActual: number | null;
  /** ROI multiple: estimatedRevenue / spend, the revenue back per 1 of spend ("$41.95 back per $1"), 2 decimals;
   * = roi + 1. null without spend (or with a spend of 0). */
  roiMultiple: number | null;
  /** actualRevenue / spend, 2 decimals; null without spend or without actual revenue. */
  roiMultipleActual: number | null;
}

export interface MarketingRoiReport {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  /** true when segment.patient is 'new', the default (kept for the first clients of this report). */
  newPatientsOnly: boolean;
  segment: SegmentView;
  /** Each source, followed by its campaigns; "(no source)" last. */
  rows: MarketingRoiRow[];
  totals: MarketingRoiRow;
}

/** One month's spend on a source (campaignId null) or on one of its campaigns, as GET and PUT
 * /api/v1/marketing-spend answer it. */
export interface MarketingSpendEntry {
  id: string;
  sourceId: string;
  sourceName: string;
  campaignId: string | null;
  campaignName: string | null;
  /** YYYY-MM */
  month: string;
  amount: number;
}

/** GET /api/v1/marketing-spend */
export interface MarketingSpendList {
  from: string;
  to: string;
  spend: MarketingSpendEntry[];
}

/** GET /api/v1/marketing-sources: every source of the practice with its campaigns, by name (what spend
 * can be entered on, whether or not it has leads yet). */
export interface MarketingSourceView {
  id: string;
  name: string;
  defaultChannel: string;
  campaigns: Array<{ id: string; name: string }>;
}
