import { delta, formatCount, formatDuration, formatMoney, formatPercent, formatThreshold, MISSING, plural } from '../../wallboard/src/lib/format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [59.9, '59 s'],
    [60, '1 m 00 s'],
    [200, '3 m 20 s'],
    [3599, '59 m 59 s'],
    [3600, '1 h 00 m'],
    [3900, '1 h 05 m'],
    [86_399, '23 h 59 m'],
    [86_400 * 2 + 3 * 3600, '2 d 03 h'],
  ])('%p s → %p', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('shows a dash for no value, and never a negative duration', () => {
    expect(formatDuration(null)).toBe(MISSING);
    expect(formatDuration(undefined)).toBe(MISSING);
    expect(formatDuration(Number.NaN)).toBe(MISSING);
    expect(formatDuration(-5)).toBe('0 s');
  });
});

describe('formatPercent', () => {
  it('rounds to a whole percentage', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.237)).toBe('24%');
    expect(formatPercent(1)).toBe('100%');
  });
  it('shows a dash when there is no rate', () => {
    expect(formatPercent(null)).toBe(MISSING);
    expect(formatPercent(Number.NaN)).toBe(MISSING);
  });
});

describe('delta', () => {
  it('signs the difference, with a real minus sign', () => {
    expect(delta(12, 9)).toEqual({ direction: 'up', amount: 3, text: '+3' });
    expect(delta(7, 9)).toEqual({ direction: 'down', amount: 2, text: '\u22122' });
    expect(delta(4, 4)).toEqual({ direction: 'flat', amount: 0, text: '±0' });
  });
});

describe('formatCount and formatMoney', () => {
  it('formats counts and whole amounts of money', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(null)).toBe(MISSING);
    expect(formatMoney(12500, 'GBP')).toBe('£12,500');
    expect(formatMoney(99.6, 'USD')).toBe('$100');
    expect(formatMoney(null, 'USD')).toBe(MISSING);
  });
  it('does not throw on a currency code Intl does not know', () => {
    expect(formatMoney(10, 'NOT-A-CURRENCY')).toBe('10 NOT-A-CURRENCY');
  });
});

describe('formatThreshold', () => {
  it('says round thresholds the way people do', () => {
    expect(formatThreshold(300)).toBe('5 m');
    expect(formatThreshold(900)).toBe('15 m');
    expect(formatThreshold(3600)).toBe('1 h');
    expect(formatThreshold(90)).toBe('90 s');
    expect(formatThreshold(5400)).toBe('1 h 30 m');
  });
});

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect(plural(1, 'patient', 'patients')).toBe('patient');
    expect(plural(0, 'patient', 'patients')).toBe('patients');
    expect(plural(2, 'follow-up', 'follow-ups')).toBe('follow-ups');
  });
});
