// The reports page's number → text rules (wallboard/src/manage/reports/lib/format.ts): one function per
// kind of number, used by every view, so the page's text is a pure function of the JSON's number.
import { describe, expect, it } from '@jest/globals';
import {
  formatCost,
  formatCount,
  formatDecimal,
  formatEstimate,
  formatMoneyEstimate,
  formatDuration,
  formatMoney,
  formatMoneyAxis,
  formatMonth,
  formatPercent,
  formatRange,
  formatRoi,
  formatSignedMoney,
  formatSignedPercent,
  MINUS,
  MISSING,
  rateString,
  rateText,
} from '../../wallboard/src/manage/reports/lib/format.js';

describe('money', () => {
  it('is in the practice currency, whole amounts without cents and others with two', () => {
    expect(formatMoney(4500, 'USD')).toBe('$4,500');
    expect(formatMoney(187.5, 'USD')).toBe('$187.50');
    expect(formatMoney(0.01, 'USD')).toBe('$0.01');
    expect(formatMoney(1234567.891, 'USD')).toBe('$1,234,567.89');
    expect(formatMoney(12500, 'GBP')).toBe('£12,500');
    expect(formatMoney(99.9, 'EUR')).toBe('€99.90');
  });
  it('signs negatives with a real minus, never "-$0"', () => {
    expect(formatMoney(-300, 'USD')).toBe(`${MINUS}$300`);
    expect(formatMoney(-0.001, 'USD')).toBe('$0');
    expect(formatSignedMoney(1200, 'USD')).toBe('+$1,200');
    expect(formatSignedMoney(-45.5, 'USD')).toBe(`${MINUS}$45.50`);
    expect(formatSignedMoney(0, 'USD')).toBe('$0');
  });
  it('shows null and NaN as a dash, an unknown currency as the number and its code', () => {
    expect(formatMoney(null, 'USD')).toBe(MISSING);
    expect(formatMoney(Number.NaN, 'USD')).toBe(MISSING);
    expect(formatMoney(1500, 'not a code')).toBe('1,500 not a code');
    expect(formatMoney(1500.5, 'XX1')).toBe('1500.50 XX1');
  });
  it('is compact on axes', () => {
    expect(formatMoneyAxis(12500, 'USD')).toBe('$12.5K');
    expect(formatMoneyAxis(-2000, 'USD')).toBe(`${MINUS}$2K`);
  });
});

describe('rates', () => {
  it('are percentages with at most one decimal', () => {
    expect(formatPercent(0.3333)).toBe('33.3%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(-0)).toBe('0%');
    expect(formatPercent(null)).toBe(MISSING);
  });
  it('are signed for ROI and changes', () => {
    expect(formatSignedPercent(5)).toBe('+500%');
    expect(formatSignedPercent(-1)).toBe(`${MINUS}100%`);
    expect(formatSignedPercent(1.4889)).toBe('+148.9%');
    expect(formatSignedPercent(0)).toBe('0%');
    expect(formatSignedPercent(0.00001)).toBe('0%');
  });
  it('say "no leads" for an empty set and flag a small sample, never 0% or 100% alone', () => {
    expect(rateText(null, 'none', 0)).toEqual({ text: 'no leads', flag: null, sample: 'none' });
    expect(rateText(0, 'none', 0).text).toBe('no leads');
    expect(rateText(null, 'none', 0, 'calls').text).toBe('no calls');
    expect(rateText(1, 'small', 4)).toEqual({ text: '100%', flag: 'small sample (n=4)', sample: 'small' });
    expect(rateText(0, 'small', 1).flag).toBe('small sample (n=1)');
    expect(rateText(0.5, 'ok', 12)).toEqual({ text: '50%', flag: null, sample: 'ok' });
    expect(rateString(rateText(0.5, 'small', 2))).toBe('50% · small sample (n=2)');
    expect(rateString(rateText(0.25, 'ok', 40))).toBe('25%');
  });
});

describe('ROI and costs', () => {
  it('says "no spend entered" rather than an infinite ROI, and why a zero spend has none', () => {
    expect(formatRoi(null, false, null)).toBe('no spend entered');
    expect(formatRoi(null, true, 0)).toBe('spend was 0');
    expect(formatRoi(5, true, 750)).toBe('+500%');
    expect(formatRoi(-1, true, 1500)).toBe(`${MINUS}100%`);
  });
  it('explains a missing cost per lead or booking', () => {
    expect(formatCost(null, false, 3, 'leads', 'USD')).toBe('no spend entered');
    expect(formatCost(null, true, 0, 'bookings', 'USD')).toBe('no bookings');
    expect(formatCost(125, true, 6, 'leads', 'USD')).toBe('$125');
    expect(formatCost(0, true, 1, 'leads', 'USD')).toBe('$0');
  });
});

describe('counts, durations and dates', () => {
  it('formats counts and decimals', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(null)).toBe(MISSING);
    expect(formatDecimal(2.345)).toBe('2.35');
    expect(formatDecimal(3)).toBe('3');
  });
  it('says durations in the units people use', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe('2 d 03 h');
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(null)).toBe(MISSING);
  });
  it('names months, days and ranges', () => {
    expect(formatMonth('2026-03')).toBe('Mar 2026');
    expect(formatRange('2026-09-16', '2026-10-15')).toBe('Sep 16, 2026 – Oct 15, 2026');
    expect(formatRange('2026-09-16', '2026-09-16')).toBe('Sep 16, 2026');
  });
});

describe('estimates say "about" and keep only the precision they have', () => {
  it('counts: whole from 10, one decimal below', () => {
    expect(formatEstimate(106.45)).toBe('about 106');
    expect(formatEstimate(2.35)).toBe('about 2.4');
    expect(formatEstimate(3)).toBe('about 3');
    expect(formatEstimate(1234.5)).toBe('about 1,235');
    expect(formatEstimate(null)).toBe('—');
  });
  it('money: whole units, never cents', () => {
    expect(formatMoneyEstimate(12345.67, 'USD')).toBe('about $12,346');
    expect(formatMoneyEstimate(187.5, 'USD')).toBe('about $188');
    expect(formatMoneyEstimate(null, 'USD')).toBe('—');
  });
});
