// The report charts' small calculations: domains that include zero, waterfall steps, label cutting.
import { describe, expect, it } from '@jest/globals';
import { barDomain, lineMax, shorten, waterfallDomain, waterfallSteps } from '../../wallboard/src/manage/reports/lib/charts.js';

describe('chart helpers', () => {
  it('bar domains include zero and ignore bars without a value', () => {
    expect(barDomain([{ value: 5 }, { value: -1 }, { value: null }])).toEqual([-1, 5]);
    expect(barDomain([{ value: 3 }])).toEqual([0, 3]);
    expect(barDomain([{ value: null }])).toEqual([0, 1]);
    expect(barDomain([])).toEqual([0, 1]);
  });
  it('line maxima have a floor and skip gaps', () => {
    const s = (ys: Array<number | null>) => ({ id: 'a', label: 'a', colour: 'x', points: ys.map((y, i) => ({ x: String(i), y, text: '' })) });
    expect(lineMax([s([0.2, null, 0.4])])).toBe(1);
    expect(lineMax([s([3, 12, null])], 1)).toBe(12);
  });
  it('waterfalls run from the base through each change to the current total', () => {
    const steps = waterfallSteps(
      { label: 'Base', value: 100, text: '' },
      [
        { key: 'a', label: 'A', value: -150, text: '' },
        { key: 'b', label: 'B', value: 20, text: '' },
      ],
      { label: 'Now', value: -30, text: '' },
    );
    expect(steps.map((s) => [s.kind, s.start, s.end])).toEqual([
      ['total', 0, 100],
      ['change', 100, -50],
      ['change', -50, -30],
      ['total', 0, -30],
    ]);
    expect(waterfallDomain(steps)).toEqual([-50, 100]);
  });
  it('cuts long labels', () => {
    expect(shorten('Insurance out of network', 24)).toBe('Insurance out of network');
    expect(shorten('Smith, "Dr" Referrals and more', 12)).toBe('Smith, "Dr"…');
  });
});
