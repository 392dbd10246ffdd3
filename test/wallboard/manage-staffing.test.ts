import type { StaffingIntervalView, StaffingResponse } from '../../wallboard/src/manage/lib/api-types.js';
import {
  activeHours,
  afterHoursSentence,
  cellLabel,
  DEFAULT_INPUTS,
  heatGrid,
  hourLabel,
  modelSentence,
  staffingQuery,
  staffingTotals,
} from '../../wallboard/src/manage/lib/staffing.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** 168 hours: open 08:00-16:59 Monday to Saturday with calls, closed on Sunday. */
function hours(staff: number | null = null): StaffingIntervalView[] {
  return Array.from({ length: 168 }, (_, i) => {
    const day = Math.floor(i / 24);
    const hour = i % 24;
    const open = day < 6 && hour >= 8 && hour < 17;
    const calls = open ? 2 + (hour % 3) : 0;
    return {
      weekday: DAYS[day]!,
      hour,
      minute: 0,
      start: hourLabel(hour),
      end: hourLabel(hour + 1),
      open,
      afterHoursCalls: open ? 0 : 0.1,
      calls,
      agentsNeeded: calls > 0 ? 2 : 0,
      recommendedStaff: calls > 0 ? 3 : 0,
      serviceLevel: calls > 0 ? 0.85 : 1,
      missedCalls: calls * 0.02,
      staff,
      staffServiceLevel: staff === null ? null : 0.5,
      staffMissedCalls: staff === null ? null : calls * 0.2,
    };
  });
}

describe('staffingQuery', () => {
  it('turns the form into the API query, percentages as fractions', () => {
    const result = staffingQuery(DEFAULT_INPUTS);
    expect(result).toEqual({ ok: true, query: 'targetSeconds=20&serviceLevel=0.8&ahtSeconds=240&patienceSeconds=60&shrinkage=0.3' });
  });
  it('leaves patience out when blank (Erlang C) and passes staff on shift', () => {
    const result = staffingQuery({ ...DEFAULT_INPUTS, patienceSeconds: ' ', staff: '3' });
    expect(result.ok && new URLSearchParams(result.query).get('patienceSeconds')).toBeNull();
    expect(result.ok && new URLSearchParams(result.query).get('staff')).toBe('3');
  });
  it('accepts 168 per-hour counts and refuses other lengths', () => {
    const many = Array.from({ length: 168 }, (_, i) => (i % 24 >= 8 && i % 24 < 18 ? 4 : 0)).join(', ');
    expect(staffingQuery({ ...DEFAULT_INPUTS, staff: many }).ok).toBe(true);
    expect(staffingQuery({ ...DEFAULT_INPUTS, staff: '1,2,3' })).toEqual({ ok: false, errors: { staff: expect.stringContaining('168') } });
  });
  it('names each bad input with the server limits', () => {
    const result = staffingQuery({ ...DEFAULT_INPUTS, serviceLevelPct: '100', ahtSeconds: 'abc', shrinkagePct: '-5' });
    expect(result).toEqual({
      ok: false,
      errors: { serviceLevelPct: 'between 1 and below 100', ahtSeconds: 'enter a number', shrinkagePct: 'enter a number' },
    });
  });
});

describe('heatGrid', () => {
  it('has 7 rows Monday first and only the span of opening hours', () => {
    const grid = heatGrid({ intervals: hours() }, 'staff');
    expect(grid.rows).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(grid.hours).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(grid.cells).toHaveLength(7 * 9);
    expect(grid.cells[0]).toEqual({ row: 0, hour: 8, value: 3, label: '3' });
    expect(grid.cells.filter((c) => c.row === 6).every((c) => c.value === 0 && c.label === '–')).toBe(true);
    expect(grid.max).toBe(3);
  });
  it('shows forecast calls and missed calls at either staffing', () => {
    expect(heatGrid({ intervals: hours() }, 'calls').cells.find((c) => c.row === 0 && c.hour === 10)?.label).toBe('3.0');
    expect(heatGrid({ intervals: hours() }, 'missed').cells.find((c) => c.row === 0 && c.hour === 9)?.label).toBe('<0.1');
    expect(heatGrid({ intervals: hours(1) }, 'missedEntered').cells.find((c) => c.row === 0 && c.hour === 10)?.label).toBe('0.6');
    // Without staff entered there is nothing to show at "your staffing".
    expect(heatGrid({ intervals: hours() }, 'missedEntered').cells).toHaveLength(0);
  });
  it('keeps a floor on the colour scale so one call is not a rush, and is empty without hours', () => {
    const quiet = hours().map((h) => ({ ...h, recommendedStaff: h.calls > 0 ? 1 : 0 }));
    expect(heatGrid({ intervals: quiet }, 'staff').max).toBe(2);
    expect(heatGrid({ intervals: [] }, 'staff')).toMatchObject({ hours: [], cells: [] });
  });
  it('shows all 24 hours when no hour is open', () => {
    expect(activeHours(hours().map((h) => ({ ...h, open: false })))).toHaveLength(24);
  });
  it('takes half-hour intervals as columns labelled in practice time', () => {
    const halves: StaffingIntervalView[] = hours().flatMap((h) => [0, 30].map((minute) => ({ ...h, minute, start: hourLabel(h.hour + minute / 60) })));
    const grid = heatGrid({ intervals: halves }, 'staff');
    expect(grid.hours.slice(0, 3)).toEqual([8, 8.5, 9]);
    expect(grid.hours).toHaveLength(18);
    expect(hourLabel(8.5)).toBe('08:30');
    expect(hourLabel(13.75)).toBe('13:45');
  });
});

describe('cellLabel and totals', () => {
  it('prints whole staff and one decimal for small call counts', () => {
    expect(cellLabel(2.6, 'staff')).toBe('3');
    expect(cellLabel(12.4, 'calls')).toBe('12');
    expect(cellLabel(0, 'missed')).toBe('0');
  });
  it('lists the entered-staffing totals only when staff was entered', () => {
    const totals: NonNullable<StaffingResponse['totals']> = {
      calls: 1234.5,
      recommendedStaffHours: 250,
      missedAtRecommended: 3.21,
      enteredStaffHours: null,
      missedAtEntered: null,
      afterHoursCalls: 0.3,
    };
    // Whole numbers only: a forecast of 3.21 missed calls reads "about 3".
    expect(staffingTotals(totals).map((t) => [t.id, t.value])).toEqual([
      ['total-calls', '1,235'],
      ['total-staff-hours', '250'],
      ['total-missed-recommended', 'about 3'],
      ['total-after-hours', 'under 1'],
    ]);
    expect(staffingTotals({ ...totals, enteredStaffHours: 168, missedAtEntered: 40 })).toHaveLength(6);
    for (const item of staffingTotals({ ...totals, enteredStaffHours: 168.25, missedAtEntered: 106.45 })) expect(item.value).not.toMatch(/\.\d/);
    expect(staffingTotals(null)).toEqual([]);
  });
});

describe('plain sentences', () => {
  it('explains the model and the time off the phones without jargon alone', () => {
    const target = { ahtSeconds: 240, targetSeconds: 20, serviceLevel: 0.8, patienceSeconds: 60, shrinkage: 0.3, model: 'erlang-a' as const };
    expect(modelSentence(target)).toMatch(/^Worked out with Erlang A, the standard call-centre formula for callers who hang up: here after about 60 seconds/);
    expect(modelSentence(target)).toMatch(/30% of paid time off the phones \(breaks, meetings, patients at the desk\)/);
    expect(modelSentence({ ...target, patienceSeconds: null, model: 'erlang-c' })).toMatch(
      /Erlang C, the standard call-centre formula for callers who wait as long as it takes/,
    );
  });
  it('says where after-hours calls go and how many came in', () => {
    const sentence = afterHoursSentence({
      forecastCallsPerWeek: 4.4,
      history: { from: '2026-09-10', to: '2026-12-02', weeks: 12, calls: 53, newPatientCalls: 31, voicemails: 20 },
    });
    expect(sentence).toBe(
      'Nobody is planned outside opening hours: those calls reach voicemail or an answering service. In the last 12 weeks 53 calls came in after hours (31 from new patients, 20 left a voicemail); about 4 a week are expected. Call the new patients back first thing: they are the bookings at stake.',
    );
    expect(afterHoursSentence(null)).toBeNull();
  });
});
