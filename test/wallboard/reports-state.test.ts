// The reports page's URL state (view, range preset or custom days, segments, view options) and the API
// query built from it; the filter choices taken from the data.
import { describe, expect, it } from '@jest/globals';
import { sourceChoices, staffChoices, treatmentChoices, withSelected } from '../../wallboard/src/manage/reports/lib/options.js';
import {
  activeFilters,
  EMPTY_SEGMENT,
  parseState,
  presetRange,
  rangeProblem,
  reportPaths,
  reportQuery,
  stateToSearch,
  todayIn,
  withPreset,
} from '../../wallboard/src/manage/reports/lib/state.js';

const TODAY = '2026-11-27';
const SOURCE = '8d2bfbc4-e95b-4dda-99d1-e043a3b406b2';
const CAMPAIGN = '0f4c1a3e-1111-4a2b-8c3d-222233334444';

describe('presets', () => {
  it('count back from today, today included', () => {
    expect(presetRange('last30', TODAY)).toEqual({ from: '2026-10-29', to: TODAY });
    expect(presetRange('last90', TODAY)).toEqual({ from: '2026-08-30', to: TODAY });
    expect(presetRange('this-month', TODAY)).toEqual({ from: '2026-11-01', to: TODAY });
    expect(presetRange('last-month', TODAY)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetRange('this-year', TODAY)).toEqual({ from: '2026-01-01', to: TODAY });
    expect(presetRange('last12', TODAY)).toEqual({ from: '2025-12-01', to: TODAY });
  });
  it('handle month and year edges', () => {
    expect(presetRange('last-month', '2026-01-05')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('last-month', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetRange('last30', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
  });
});

describe('parseState / stateToSearch', () => {
  it('defaults to the ROI view over the last 90 days, new patients, no other filter', () => {
    const state = parseState('', TODAY);
    expect(state).toMatchObject({
      view: 'roi',
      range: 'last90',
      from: '2026-08-30',
      to: TODAY,
      by: 'channel',
      interval: 'week',
      compare: 'previous',
      sort: null,
    });
    expect(state.segment).toEqual({ ...EMPTY_SEGMENT, patient: 'new' });
    expect(stateToSearch(state)).toBe('view=roi');
  });
  it('round-trips a full state', () => {
    const search = `view=funnel&range=last30&channel=web_form&sourceId=${SOURCE}&campaignId=${CAMPAIGN}&treatment=Implants&patient=new&by=source&interval=month&compare=year&sort=-leads`;
    const state = parseState(search, TODAY);
    expect(state).toMatchObject({ view: 'funnel', range: 'last30', from: '2026-10-29', by: 'source', interval: 'month', compare: 'year', sort: '-leads' });
    expect(state.segment).toEqual({ channel: 'web_form', sourceId: SOURCE, campaignId: CAMPAIGN, staffId: null, treatment: 'Implants', patient: 'new' });
    expect(parseState(stateToSearch(state), TODAY)).toEqual(state);
  });
  it('keeps a custom range as its days, and takes from/to without range as custom', () => {
    const state = parseState('view=speed&from=2026-09-16&to=2026-10-15', TODAY);
    expect(state).toMatchObject({ range: 'custom', from: '2026-09-16', to: '2026-10-15' });
    expect(stateToSearch(state)).toBe('view=speed&from=2026-09-16&to=2026-10-15');
  });
  it('falls back to defaults for anything malformed', () => {
    const state = parseState(
      'view=nope&range=custom&from=2026-02-30&to=2026-03-01&channel=fax&sourceId=not-a-uuid&campaignId=' + CAMPAIGN + '&patient=maybe&by=x&sort=1;drop',
      TODAY,
    );
    expect(state).toMatchObject({ view: 'roi', range: 'last90', by: 'channel', sort: null });
    // The campaign goes with its missing source; Marketing ROI (the fallback view) shows new patients.
    expect(state.segment).toEqual({ ...EMPTY_SEGMENT, patient: 'new' });
    expect(parseState('from=2026-10-15&to=2026-09-16', TODAY).range).toBe('last90');
  });
  it('refuses ranges the API refuses', () => {
    expect(rangeProblem('2026-09-16', '2026-10-15')).toBeNull();
    expect(rangeProblem('2026-10-15', '2026-09-16')).toMatch(/before/);
    expect(rangeProblem('2019-01-01', '2026-01-01')).toMatch(/at most/);
    expect(rangeProblem('1999-12-31', '2000-01-05')).toMatch(/not a date/);
  });
  it('changes preset with recomputed days', () => {
    const state = withPreset(parseState('view=roi', TODAY), 'this-month', TODAY);
    expect(state).toMatchObject({ range: 'this-month', from: '2026-11-01', to: TODAY });
    expect(withPreset(state, 'custom', TODAY)).toMatchObject({ range: 'custom', from: '2026-11-01' });
  });
});

describe('the API query', () => {
  it('always carries the days, then the segment and the view parameters', () => {
    const state = parseState(`view=funnel&range=last30&sourceId=${SOURCE}&patient=existing`, TODAY);
    const query = reportQuery(state, { by: state.by, interval: state.interval, empty: null });
    expect(query).toBe(`from=2026-10-29&to=2026-11-27&sourceId=${SOURCE}&patient=existing&by=channel&interval=week`);
    expect(reportPaths('funnel', query)).toEqual({ json: `/api/v1/reports/funnel?${query}`, csv: `/api/v1/reports/funnel.csv?${query}` });
    expect(reportQuery(parseState('treatment=Root%20canal%20%26%20crown', TODAY))).toContain('treatment=Root+canal+%26+crown');
    expect(activeFilters(state.segment, state.view)).toBe(2);
  });
  it('asks Marketing ROI for new patients by default, and for what the filter bar names otherwise', () => {
    const roi = parseState('view=roi&range=last30', TODAY);
    expect(roi.segment.patient).toBe('new');
    expect(stateToSearch(roi)).toBe('view=roi&range=last30'); // the view's default stays out of the page URL
    expect(reportQuery(roi)).toContain('patient=new');
    expect(activeFilters(roi.segment, roi.view)).toBe(0);
    // "All patients" chosen on ROI: the URL keeps it and the API gets it, so the figures match the label.
    const all = parseState('view=roi&range=last30&patient=all', TODAY);
    expect(stateToSearch(all)).toContain('patient=all');
    expect(reportQuery(all)).toContain('patient=all');
    expect(activeFilters(all.segment, all.view)).toBe(1);
    // Other views default to all patients and still say so to the API.
    expect(reportQuery(parseState('view=funnel', TODAY))).toContain('patient=all');
  });
  it('knows today in the practice time zone', () => {
    const now = new Date('2026-11-28T03:30:00Z');
    expect(todayIn('America/Chicago', now)).toBe('2026-11-27');
    expect(todayIn('Europe/London', now)).toBe('2026-11-28');
    expect(todayIn('Not/AZone', now)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('filter choices from the data', () => {
  const row = (level: string, sourceId: string | null, sourceName: string, campaignId: string | null = null, campaignName: string | null = null) =>
    ({ level, sourceId, sourceName, campaignId, campaignName }) as any;
  it('takes sources and their campaigns from the ROI rows, leaving out "(no source)"', () => {
    const rows = [
      row('source', 's2', 'Facebook'),
      row('source', 's1', 'Google Ads'),
      row('campaign', 's1', 'Google Ads', 'c2', 'Whitening'),
      row('campaign', 's1', 'Google Ads', 'c1', 'Implants'),
      row('source', null, '(no source)'),
    ];
    expect(sourceChoices({ rows })).toEqual([
      { value: 's2', label: 'Facebook', campaigns: [] },
      {
        value: 's1',
        label: 'Google Ads',
        campaigns: [
          { value: 'c1', label: 'Implants' },
          { value: 'c2', label: 'Whitening' },
        ],
      },
    ]);
  });
  it('takes staff and treatments, and keeps a selected value that is not in the data', () => {
    expect(
      staffChoices({
        rows: [
          { staffId: 'b', displayName: 'Sam' },
          { staffId: null, displayName: '(unassigned)' },
          { staffId: 'a', displayName: 'Maya' },
        ] as any,
      }),
    ).toEqual([
      { value: 'a', label: 'Maya' },
      { value: 'b', label: 'Sam' },
    ]);
    expect(
      treatmentChoices({
        rows: [
          { key: 'implants', label: 'Implants' },
          { key: null, label: '(no treatment)' },
        ] as any,
      }),
    ).toEqual([{ value: 'Implants', label: 'Implants' }]);
    expect(withSelected([{ value: 'a', label: 'A' }], 'z', '(selected)')).toEqual([
      { value: 'a', label: 'A' },
      { value: 'z', label: '(selected)' },
    ]);
    expect(withSelected([{ value: 'Implants', label: 'Implants' }], 'implants')).toHaveLength(1);
  });
});
