// The admin page's form helpers: opening hours per weekday, the merge window in days, thresholds in
// minutes and percent, and the PATCH body of only the changed settings.

import { describe, expect, it } from '@jest/globals';
import {
  hoursDraft,
  isTimeZone,
  mergeDays,
  mergeHours,
  parseDay,
  readThresholds,
  settingsDraft,
  settingsPatch,
  thresholdsDraft,
  type SettingsView,
} from '../../wallboard/src/manage/admin/lib/admin.js';
import { readOpeningHours } from '../../server/admin/admin.schemas.js';

const SETTINGS: SettingsView = {
  id: 'p1',
  name: 'Lakeside Ortho',
  timeZone: 'America/Denver',
  currency: 'USD',
  holidayRegion: 'US',
  openingHours: {
    mon: [
      ['08:00', '12:00'],
      ['13:00', '17:00'],
    ],
    fri: [['08:00', '12:00']],
  },
  boardThresholds: { waitingAmberSeconds: 300, waitingRedSeconds: 900, missedRateAmber: 0.1, missedRateRed: 0.2 },
  leadMergeWindowHours: 720,
};

describe('opening hours in the form', () => {
  it('reads a day: closed, one or several ranges, sorted', () => {
    expect(parseDay('')).toEqual({ ok: true, ranges: [] });
    expect(parseDay(' Closed ')).toEqual({ ok: true, ranges: [] });
    expect(parseDay('13:00-17:00, 08:00 - 12:00')).toEqual({
      ok: true,
      ranges: [
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ],
    });
  });

  it('says what is wrong with a day', () => {
    expect(parseDay('8-5')).toEqual({ ok: false, error: '"8-5" is not a range like 08:00-17:00 (24-hour clock)' });
    expect(parseDay('17:00-08:00')).toEqual({ ok: false, error: '17:00-08:00: closes before it opens' });
    expect(parseDay('08:00-12:00, 11:00-15:00')).toEqual({ ok: false, error: '08:00-12:00 and 11:00-15:00 overlap' });
    expect(parseDay('24:00-25:00').ok).toBe(false);
  });

  it('shows stored hours as text per weekday, closed days empty', () => {
    expect(hoursDraft(SETTINGS.openingHours)).toEqual({ mon: '08:00-12:00, 13:00-17:00', tue: '', wed: '', thu: '', fri: '08:00-12:00', sat: '', sun: '' });
  });

  it('agrees with the server on what it accepts', () => {
    for (const text of ['08:00-12:00, 13:00-17:00', '', '09:30-10:00']) {
      const parsed = parseDay(text);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(readOpeningHours({ tue: parsed.ranges })).toEqual(parsed.ranges.length ? { tue: parsed.ranges } : {});
    }
    expect(() =>
      readOpeningHours({
        tue: [
          ['08:00', '12:00'],
          ['11:00', '15:00'],
        ],
      }),
    ).toThrow(/overlap/);
    expect(readOpeningHours('mon-wed 08:00-17:00')).toEqual({ mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']] });
  });
});

describe('friendlier units', () => {
  it('shows the merge window in days and stores whole hours', () => {
    expect(mergeDays(720)).toBe('30');
    expect(mergeDays(36)).toBe('1.5');
    expect(mergeHours('0')).toEqual({ ok: true, hours: 0 });
    expect(mergeHours('1.5')).toEqual({ ok: true, hours: 36 });
    expect(mergeHours('365')).toEqual({ ok: true, hours: 8760 });
    expect(mergeHours('366').ok).toBe(false);
    expect(mergeHours('-1').ok).toBe(false);
    expect(mergeHours('a week').ok).toBe(false);
  });

  it('shows thresholds in minutes and percent, and checks red comes after amber', () => {
    const draft = thresholdsDraft(SETTINGS.boardThresholds);
    expect(draft).toEqual({ waitingAmberMinutes: '5', waitingRedMinutes: '15', missedAmberPercent: '10', missedRedPercent: '20' });
    expect(readThresholds(draft)).toEqual({ thresholds: SETTINGS.boardThresholds, errors: {} });
    expect(readThresholds({ ...draft, missedAmberPercent: '12.5' }).thresholds?.missedRateAmber).toBe(0.125);
    expect(readThresholds({ ...draft, waitingRedMinutes: '5' }).errors).toEqual({ waitingRedMinutes: 'must be more than the amber time' });
    expect(readThresholds({ ...draft, missedRedPercent: '150' }).errors).toEqual({ missedRedPercent: 'a percentage from 0 to 100' });
  });

  it('knows time zones the browser knows', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('the settings PATCH', () => {
  it('sends nothing when nothing changed', () => {
    expect(settingsPatch(SETTINGS, settingsDraft(SETTINGS))).toEqual({ ok: true, patch: {} });
  });

  it('sends only the changed fields, in the API units', () => {
    const draft = settingsDraft(SETTINGS);
    draft.timeZone = ' Europe/London ';
    draft.currency = 'gbp';
    draft.holidayRegion = '';
    draft.hours.sat = '09:00-13:00';
    draft.mergeDays = '14';
    draft.thresholds.waitingRedMinutes = '20';
    expect(settingsPatch(SETTINGS, draft)).toEqual({
      ok: true,
      patch: {
        timeZone: 'Europe/London',
        currency: 'GBP',
        holidayRegion: null,
        openingHours: { ...SETTINGS.openingHours, sat: [['09:00', '13:00']] },
        leadMergeWindowHours: 336,
        boardThresholds: { ...SETTINGS.boardThresholds, waitingRedSeconds: 1200 },
      },
    });
  });

  it('sends nothing while a field is wrong, and names each', () => {
    const draft = settingsDraft(SETTINGS);
    draft.name = ' ';
    draft.timeZone = 'Mars/Olympus_Mons';
    draft.currency = 'dollars';
    draft.hours.tue = '9-5';
    const result = settingsPatch(SETTINGS, draft);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors).sort()).toEqual(['currency', 'hours', 'name', 'timeZone']);
      expect(result.errors.hours).toEqual({ tue: '"9-5" is not a range like 08:00-17:00 (24-hour clock)' });
    }
  });
});
