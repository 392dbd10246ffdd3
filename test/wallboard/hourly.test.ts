import type { BoardHourV1 } from '../../server/live/board.contract.js';
import {
  activeSpan,
  currentHourIndex,
  hourKey,
  hourlyPopulation,
  hourlyYDomain,
  labelStride,
  niceStep,
  paceSoFar,
  showsHourLabel,
} from '../../wallboard/src/lib/hourly.js';

const hour = (start: string, leads: number | null, low = 0, median = 1, high = 2): BoardHourV1 => ({
  start,
  label: `${start.slice(11, 13)}:00`,
  leads,
  typicalLow: low,
  typicalMedian: median,
  typicalHigh: high,
});

describe('hourlyYDomain', () => {
  it('covers the tallest bar and the top of the typical band, on whole-lead gridlines', () => {
    const domain = hourlyYDomain([hour('2026-11-27T09:00:00Z', 7), hour('2026-11-27T10:00:00Z', null, 2, 5, 13)]);
    expect(domain).toEqual({ max: 15, ticks: [0, 5, 10, 15] });
  });
  it('is at least 4 leads high so a single lead does not fill the chart', () => {
    expect(hourlyYDomain([hour('2026-11-27T09:00:00Z', 1, 0, 0, 1)])).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
    expect(hourlyYDomain([])).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
  });
  it('keeps about four gridlines for busy practices', () => {
    expect(hourlyYDomain([hour('2026-11-27T09:00:00Z', 23)]).ticks).toEqual([0, 10, 20, 30]);
  });
});

describe('niceStep', () => {
  it.each([
    [0, 1],
    [0.5, 1],
    [1.75, 2],
    [3.25, 5],
    [5.75, 10],
    [12, 20],
    [30, 50],
  ])('%p → %p', (raw, step) => expect(niceStep(raw)).toBe(step));
});

describe('daylight-saving days', () => {
  // Europe/London, 2026-10-25: the clocks go back at 02:00 BST, so 01:00 happens twice.
  const fallBack = [
    { ...hour('2026-10-25T00:00:00Z', 0), label: '01:00' },
    { ...hour('2026-10-25T01:00:00Z', 1), label: '01:00' },
    { ...hour('2026-10-25T02:00:00Z', null), label: '02:00' },
  ];
  it('keys hours by start, which stays unique when labels repeat', () => {
    const keys = fallBack.map(hourKey);
    expect(new Set(keys).size).toBe(fallBack.length);
    expect(new Set(fallBack.map((h) => h.label)).size).toBe(2);
  });
  it('finds the current hour by instant, not by label', () => {
    expect(currentHourIndex(fallBack, Date.parse('2026-10-25T01:30:00Z'))).toBe(1);
    expect(currentHourIndex(fallBack, Date.parse('2026-10-25T02:59:59Z'))).toBe(2);
    expect(currentHourIndex(fallBack, Date.parse('2026-10-25T03:00:00Z'))).toBe(-1);
    expect(currentHourIndex([], Date.now())).toBe(-1);
  });
});

describe('labelStride', () => {
  it('shows every hour when there is room, and regular clock hours when not', () => {
    expect(labelStride(24, 1600, 50)).toBe(1);
    expect(labelStride(24, 900, 50)).toBe(2);
    expect(labelStride(25, 500, 50)).toBe(3);
    expect(labelStride(24, 10, 50)).toBe(12);
    expect(labelStride(0, 100, 50)).toBe(1);
  });
});

describe('paceSoFar', () => {
  it('compares the hours that have happened with the typical median for the same hours', () => {
    const hours = [hour('2026-11-27T08:00:00Z', 3, 0, 2.4), hour('2026-11-27T09:00:00Z', 5, 0, 4.4), hour('2026-11-27T10:00:00Z', null, 0, 9)];
    expect(paceSoFar(hours)).toEqual({ actual: 8, typical: 7 });
  });
});

describe('showsHourLabel', () => {
  const shown = (count: number, stride: number, current: number) =>
    Array.from({ length: count }, (_, i) => i).filter((i) => showsHourLabel(i, stride, current));
  it('labels every stride-th hour, including the first, when now is outside the day', () => {
    expect(shown(7, 2, -1)).toEqual([0, 2, 4, 6]);
  });
  it('always labels the current hour and drops regular labels that would crowd it', () => {
    expect(shown(9, 2, 5)).toEqual([0, 2, 5, 8]);
    expect(shown(9, 2, 4)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe('activeSpan', () => {
  const day = (counts: Array<[number | null, number]>) =>
    counts.map(([leads, median], i) => hour(`2026-11-27T${String(i).padStart(2, '0')}:00:00Z`, leads, 0, median, median));
  it('drops the empty night hours but keeps one either side, and the hour in progress', () => {
    const hours = day([
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 2],
      [4, 3],
      [null, 2],
      [null, 0],
      [null, 0],
      [null, 0],
    ]);
    expect(activeSpan(hours).map((h) => h.label)).toEqual(['02:00', '03:00', '04:00', '05:00', '06:00']);
    expect(activeSpan(hours, 8).map((h) => h.label)).toEqual(['02:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00']);
    expect(activeSpan(hours, 0).map((h) => h.label)[0]).toBe('00:00');
  });
  it('keeps the whole day when nothing is expected and nothing happened', () => {
    const hours = day([
      [0, 0],
      [null, 0],
      [null, 0],
    ]);
    expect(activeSpan(hours)).toHaveLength(3);
  });
});

describe('hourlyPopulation', () => {
  it('says which leads the bars add up to', () => {
    expect(hourlyPopulation(29, { newPatients: 23, total: 29 })).toBe('all');
    expect(hourlyPopulation(23, { newPatients: 23, total: 29 })).toBe('new');
    expect(hourlyPopulation(5, { newPatients: 5, total: 5 })).toBe('new');
    expect(hourlyPopulation(30, { newPatients: 23, total: 29 })).toBe('unknown');
  });
});
