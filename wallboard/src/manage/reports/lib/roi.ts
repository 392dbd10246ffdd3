// Data shaping of the Marketing ROI view: the table's columns (every one sortable), the sort that keeps
// each source's campaigns under it, the bar chart's bars, and the spend form. Plain functions, tested in
// test/wallboard/reports-roi.test.ts.

import type { MarketingRoiReport, MarketingRoiRow, MarketingSourceView, MarketingSpendEntry } from './contracts.js';
import { formatCost, formatCount, formatMoney, formatRoi, formatSignedPercent, NO_SPEND, rateText } from './format.js';
import type { Bar } from './charts.js';
import { compareValues, parseSort, rateColumn, type Column } from './table.js';

/** The row's name as the table shows it: the source, or the campaign (indented under its source). */
export function roiRowLabel(row: MarketingRoiRow): string {
  return row.level === 'campaign' ? (row.campaignName ?? '(campaign)') : row.sourceName;
}

/** A stable key for a row (keyed each blocks, test ids). */
export function roiRowKey(row: MarketingRoiRow): string {
  return `${row.level}:${row.sourceId ?? 'none'}:${row.campaignId ?? ''}`;
}

/** The table's columns, in the CSV's order (Source, Leads, Bookings, Conversion, revenue, spend, costs, ROI). */
export function roiColumns(currency: string): Array<Column<MarketingRoiRow>> {
  const money = (v: number | null) => formatMoney(v, currency);
  return [
    { id: 'name', label: 'Source / campaign', numeric: false, value: roiRowLabel, text: roiRowLabel },
    { id: 'leads', label: 'Leads', numeric: true, value: (r) => r.leads, text: (r) => formatCount(r.leads) },
    { id: 'bookings', label: 'Bookings', numeric: true, value: (r) => r.bookings, text: (r) => formatCount(r.bookings) },
    rateColumn(
      { id: 'conversion', label: 'Conversion', about: 'Bookings / leads' },
      (r) => r.conversion,
      (r) => rateText(r.conversion, r.sample, r.leads),
    ),
    {
      id: 'estimatedRevenue',
      label: 'Est. revenue',
      numeric: true,
      about: 'Estimated value of the booked leads',
      value: (r) => r.estimatedRevenue,
      text: (r) => money(r.estimatedRevenue),
    },
    {
      id: 'actualRevenue',
      label: 'Actual revenue',
      numeric: true,
      about: 'Actual value recorded on the leads (blank until the practice system reports it)',
      value: (r) => r.actualRevenue,
      text: (r) => money(r.actualRevenue),
    },
    {
      id: 'spend',
      label: 'Spend',
      numeric: true,
      about: 'Monthly spend, prorated by the days of each month inside the range',
      value: (r) => r.spend,
      text: (r) => (r.spendEntered ? money(r.spend) : NO_SPEND),
    },
    {
      id: 'costPerLead',
      label: 'Cost / lead',
      numeric: true,
      value: (r) => r.costPerLead,
      text: (r) => formatCost(r.costPerLead, r.spendEntered, r.leads, 'leads', currency),
    },
    {
      id: 'costPerBooking',
      label: 'Cost / booking',
      numeric: true,
      value: (r) => r.costPerBooking,
      text: (r) => formatCost(r.costPerBooking, r.spendEntered, r.bookings, 'bookings', currency),
    },
    {
      id: 'roi',
      label: 'ROI',
      numeric: true,
      about: '(Estimated revenue − spend) / spend',
      value: (r) => r.roi,
      text: (r) => formatRoi(r.roi, r.spendEntered, r.spend),
    },
    {
      id: 'roiActual',
      label: 'ROI (actual)',
      numeric: true,
      about: '(Actual revenue − spend) / spend',
      value: (r) => r.roiActual,
      text: (r) => (r.spendEntered && r.actualRevenue === null ? 'no actual revenue' : formatRoi(r.roiActual, r.spendEntered, r.spend)),
    },
  ];
}

/**
 * The rows in a sort's order, each source followed by its own campaigns (sorted the same way among
 * themselves), so a campaign never floats away from its source. No sort: the API's order.
 */
export function sortRoiRows(rows: readonly MarketingRoiRow[], columns: ReadonlyArray<Column<MarketingRoiRow>>, sort: string | null): MarketingRoiRow[] {
  const parsed = parseSort(sort);
  const column = parsed ? columns.find((c) => c.id === parsed.id) : undefined;
  if (!parsed || !column) return [...rows];
  const order = (list: MarketingRoiRow[]) =>
    list
      .map((row, index) => ({ row, index }))
      .sort((a, b) => compareValues(column.value(a.row), column.value(b.row), parsed.descending) || a.index - b.index)
      .map((e) => e.row);
  const sources = order(rows.filter((r) => r.level !== 'campaign'));
  const out: MarketingRoiRow[] = [];
  for (const source of sources) {
    out.push(source);
    out.push(...order(rows.filter((r) => r.level === 'campaign' && r.sourceId === source.sourceId)));
  }
  return out;
}

export type RoiChartMetric = 'roi' | 'costPerBooking';

/**
 * One bar per source (campaigns are in the table): its ROI, or its cost per booking. A source without
 * spend has no bar and says "no spend entered"; a spend of 0 says "spend was 0".
 * Sorted best first (highest ROI, lowest cost per booking), the ones without a value last.
 */
export function roiBars(report: Pick<MarketingRoiReport, 'rows' | 'currency'>, metric: RoiChartMetric): Bar[] {
  const columns = roiColumns(report.currency);
  const column = columns.find((c) => c.id === metric)!;
  const sources = report.rows.filter((r) => r.level === 'source');
  const bars = sources.map<Bar>((row) => {
    const value = metric === 'roi' ? row.roi : row.costPerBooking;
    return {
      key: roiRowKey(row),
      label: row.sourceName,
      value,
      text: column.text(row),
      flag: row.sample === 'small' ? rateText(row.conversion, row.sample, row.leads).flag : null,
      tone: value === null ? 'neutral' : metric === 'roi' ? (value >= 0 ? 'good' : 'bad') : 'neutral',
    };
  });
  return bars
    .map((bar, index) => ({ bar, index }))
    .sort((a, b) => compareValues(a.bar.value, b.bar.value, metric === 'roi') || a.index - b.index)
    .map((e) => e.bar);
}

/** "Which sources pay for themselves?" in a sentence, for the chart's aria-label. */
export function roiSummary(report: Pick<MarketingRoiReport, 'rows'>): string {
  const sources = report.rows.filter((r) => r.level === 'source');
  const paying = sources.filter((r) => r.roi !== null && r.roi >= 0).length;
  const losing = sources.filter((r) => r.roi !== null && r.roi < 0).length;
  const noSpend = sources.filter((r) => !r.spendEntered).length;
  const sources_ = (n: number) => `${n} source${n === 1 ? '' : 's'}`;
  return `${sources_(paying)} earned more than ${paying === 1 ? 'it' : 'they'} cost, ${sources_(losing)} cost more than ${losing === 1 ? 'it' : 'they'} earned, ${sources_(noSpend)} without spend entered.`;
}

export interface SpendTarget {
  /** `sourceId` or `sourceId/campaignId`. */
  value: string;
  label: string;
  sourceId: string;
  campaignId: string | null;
}

/**
 * What spend can be entered on: every source and campaign of the practice (GET /api/v1/marketing-sources),
 * of the report and of the spend already entered, "Source" then "Source › Campaign", sorted by name.
 */
export function spendTargets(
  rows: readonly MarketingRoiRow[],
  spend: readonly MarketingSpendEntry[] = [],
  sources: readonly MarketingSourceView[] = [],
): SpendTarget[] {
  const found = new Map<string, SpendTarget>();
  const add = (sourceId: string | null, sourceName: string, campaignId: string | null, campaignName: string | null) => {
    if (!sourceId) return;
    const value = campaignId ? `${sourceId}/${campaignId}` : sourceId;
    if (!found.has(value))
      found.set(value, { value, label: campaignId ? `${sourceName} › ${campaignName ?? '(campaign)'}` : sourceName, sourceId, campaignId });
    if (campaignId) add(sourceId, sourceName, null, null);
  };
  for (const row of rows) if (row.level !== 'total') add(row.sourceId, row.sourceName, row.level === 'campaign' ? row.campaignId : null, row.campaignName);
  for (const entry of spend) add(entry.sourceId, entry.sourceName, entry.campaignId, entry.campaignName);
  for (const source of sources) {
    add(source.id, source.name, null, null);
    for (const campaign of source.campaigns) add(source.id, source.name, campaign.id, campaign.name);
  }
  return [...found.values()].sort((a, b) => a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }));
}

/** An amount as typed (`1,250.50`, `$300`) → a number the API takes (≥ 0, at most 2 decimals), or why not. */
export function parseAmount(text: string): { ok: true; amount: number } | { ok: false; error: string } {
  const cleaned = text
    .trim()
    .replace(/[,\s]/g, '')
    .replace(/^[^\d.-]+/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return { ok: false, error: 'Enter an amount such as 1250 or 1250.50 (at most 2 decimals, not negative).' };
  const amount = Number(cleaned);
  if (amount > 9_999_999_999.99) return { ok: false, error: 'That amount is too large.' };
  return { ok: true, amount };
}

/** The spend list, newest month first, then by source and campaign. */
export function sortSpend(entries: readonly MarketingSpendEntry[]): MarketingSpendEntry[] {
  return [...entries].sort(
    (a, b) =>
      b.month.localeCompare(a.month) ||
      a.sourceName.localeCompare(b.sourceName, 'en', { sensitivity: 'base' }) ||
      (a.campaignName ?? '').localeCompare(b.campaignName ?? '', 'en', { sensitivity: 'base' }),
  );
}

/** Signed percent of an ROI for a bar chart axis. */
export const roiTick = (value: number): string => formatSignedPercent(value);
