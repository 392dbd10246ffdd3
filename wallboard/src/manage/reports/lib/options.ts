// The filter bar's choices, taken from the data: sources and their campaigns from the Marketing ROI
// report's rows, staff from the staff performance rows, treatments from the funnel by treatment. Each is
// asked for over the page's range without any segment, so choosing one filter never empties the others.
// Plain functions, tested in test/wallboard/reports-state.test.ts.

import type { FunnelReport, MarketingRoiReport, StaffPerformanceReport } from './contracts.js';

export interface Choice {
  value: string;
  label: string;
}

export interface SourceChoice extends Choice {
  campaigns: Choice[];
}

export interface FilterOptions {
  sources: SourceChoice[];
  staff: Choice[];
  treatments: Choice[];
}

export const NO_OPTIONS: FilterOptions = { sources: [], staff: [], treatments: [] };

const byLabel = (a: Choice, b: Choice) => a.label.localeCompare(b.label, 'en', { sensitivity: 'base' });

/** Sources with an id (not "(no source)") and their campaigns, by name. */
export function sourceChoices(report: Pick<MarketingRoiReport, 'rows'>): SourceChoice[] {
  const sources = new Map<string, SourceChoice>();
  for (const row of report.rows) {
    if (!row.sourceId) continue;
    let source = sources.get(row.sourceId);
    if (!source) {
      source = { value: row.sourceId, label: row.sourceName, campaigns: [] };
      sources.set(row.sourceId, source);
    }
    if (row.level === 'campaign' && row.campaignId) source.campaigns.push({ value: row.campaignId, label: row.campaignName ?? '(campaign)' });
  }
  for (const source of sources.values()) source.campaigns.sort(byLabel);
  return [...sources.values()].sort(byLabel);
}

/** Staff with an id (not "(unassigned)"), by display name. */
export function staffChoices(report: Pick<StaffPerformanceReport, 'rows'>): Choice[] {
  return report.rows
    .filter((r) => r.staffId !== null)
    .map((r) => ({ value: r.staffId!, label: r.displayName }))
    .sort(byLabel);
}

/** Treatments (not "(no treatment)"); the value is the label, the filter being case-insensitive. */
export function treatmentChoices(report: Pick<FunnelReport, 'rows'>): Choice[] {
  return report.rows
    .filter((r) => r.key !== null)
    .map((r) => ({ value: r.label, label: r.label }))
    .sort(byLabel);
}

/** A list of choices that surely holds `selected` (a link may name a source with no leads in this range). */
export function withSelected(choices: readonly Choice[], selected: string | null, fallback = '(selected)'): Choice[] {
  if (selected === null || choices.some((c) => c.value.toLowerCase() === selected.toLowerCase())) return [...choices];
  return [...choices, { value: selected, label: fallback }];
}
