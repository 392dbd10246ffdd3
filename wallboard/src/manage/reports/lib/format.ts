// Number → text for every view of the reports page: one set of rules, so a number on the page is always
// the same function of the number in the JSON (and in the CSV, which carries the same numbers). Plain
// functions, no DOM, unit-tested in test/wallboard/reports-format.test.ts.
//
// The rules:
// - Money in the practice's currency (Intl.NumberFormat, en-US grouping): whole amounts without decimals
//   (`$4,500`), anything with cents with two (`$187.50`). The API rounds money to cents.
// - Rates (the API's 4-decimal fractions) as percentages with at most one decimal: 0.3333 → `33.3%`,
//   0.5 → `50%`. ROI and changes are signed: 5 → `+500%`, -1 → `−100%` (a real minus sign).
// - Counts with thousands separators, durations in the units people say (`45 s`, `3 min 20 s`, `1 h 05 min`).
// - null is never 0: a rate without a denominator says "no leads" (or "no calls"...), a missing number is
//   an em dash, a rate over a small sample keeps its number but carries "small sample (n=4)" beside it.

import type { Sample } from './contracts.js';

/** What a missing value shows: an em dash, never `0` or `NaN`. */
export const MISSING = '—';
/** U+2212, reads better than a hyphen in front of a number. */
export const MINUS = '\u2212';

const isNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** `1234` → `1,234`; null → MISSING. Fractions are rounded (use formatDecimal for 2.35 bookings). */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? countFormat.format(value) : MISSING;
}

/** Up to two decimals, for expected counts such as 2.35 missed bookings: `2.35`, `3`; null → MISSING. */
export function formatDecimal(value: number | null | undefined): string {
  return isNumber(value) ? decimalFormat.format(value) : MISSING;
}

/** A rate as a percentage with at most one decimal: 0.3333 → `33.3%`, 1 → `100%`; null → MISSING. */
export function formatPercent(rate: number | null | undefined): string {
  if (!isNumber(rate)) return MISSING;
  // -0 would print as "-0%".
  return percentFormat.format(rate === 0 ? 0 : rate);
}

/** A signed percentage (ROI, change): 5 → `+500%`, -0.25 → `−25%`, 0 → `0%`; null → MISSING. */
export function formatSignedPercent(rate: number | null | undefined): string {
  if (!isNumber(rate)) return MISSING;
  const text = formatPercent(Math.abs(rate));
  if (text === '0%') return text;
  return rate > 0 ? `+${text}` : `${MINUS}${text}`;
}

const moneyFormats = new Map<string, { whole: Intl.NumberFormat; cents: Intl.NumberFormat; compact: Intl.NumberFormat } | null>();

function moneyFormat(currency: string) {
  if (!moneyFormats.has(currency)) {
    try {
      moneyFormats.set(currency, {
        whole: new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }),
        cents: new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }),
        compact: new Intl.NumberFormat('en-US', { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }),
      });
    } catch {
      moneyFormats.set(currency, null); // not an ISO 4217 code: plain number and the code
    }
  }
  return moneyFormats.get(currency) ?? null;
}

/** True when a money amount has cents (to the API's precision of one cent). */
const hasCents = (value: number): boolean => Math.round(value * 100) % 100 !== 0;

/**
 * Money in the practice's currency: `4500, 'USD'` → `$4,500`, `187.5` → `$187.50`, `-300` → `−$300`.
 * An unknown currency code gives `4,500 XYZ` rather than throwing; null → MISSING.
 */
export function formatMoney(value: number | null | undefined, currency: string): string {
  if (!isNumber(value)) return MISSING;
  const abs = Math.abs(value);
  const format = moneyFormat(currency);
  const text = format ? (hasCents(abs) ? format.cents : format.whole).format(abs) : `${hasCents(abs) ? abs.toFixed(2) : countFormat.format(abs)} ${currency}`;
  return value < 0 && Math.round(abs * 100) !== 0 ? `${MINUS}${text}` : text;
}

/**
 * An estimate of a count, to the precision it has: `106.45` → `about 106`, `2.35` → `about 2.4`,
 * `3` → `about 3`. "106.45 bookings missed" claims a precision no estimate has. null → MISSING.
 */
export function formatEstimate(value: number | null | undefined): string {
  if (!isNumber(value)) return MISSING;
  const abs = Math.abs(value);
  const text = abs >= 10 ? countFormat.format(abs) : oneDecimal.format(abs);
  return `about ${value < 0 && text !== '0' ? MINUS : ''}${text}`;
}
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * An estimated or forecast amount of money, in whole units and with "about": `12345.67, 'USD'` →
 * `about $12,346`. Estimates to the cent claim a precision they do not have. null → MISSING.
 */
export function formatMoneyEstimate(value: number | null | undefined, currency: string): string {
  if (!isNumber(value)) return MISSING;
  return `about ${formatMoney(Math.round(value), currency)}`;
}

/** Money with an explicit sign, for effects and changes: `+$1,200`, `−$300`, `$0`. */
export function formatSignedMoney(value: number | null | undefined, currency: string): string {
  if (!isNumber(value)) return MISSING;
  const text = formatMoney(Math.abs(value), currency);
  if (Math.round(value * 100) === 0) return text;
  return value > 0 ? `+${text}` : `${MINUS}${text}`;
}

/** Short money for chart axes: `$12.5K`. */
export function formatMoneyAxis(value: number, currency: string): string {
  const format = moneyFormat(currency);
  const text = format ? format.compact.format(Math.abs(value)) : `${countFormat.format(Math.abs(value))} ${currency}`;
  return value < 0 ? `${MINUS}${text}` : text;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Whole seconds in the units people say: `45 s`, `3 min 20 s`, `1 h 05 min`, `2 d 03 h`; null → MISSING. */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return MISSING;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad2(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad2(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} d ${pad2(Math.floor((s % 86_400) / 3600))} h`;
}

/** A rate as a cell shows it: the percentage (or "no leads"), and the small-sample flag beside it. */
export interface RateText {
  /** `33.3%`, or `no leads` (no denominator). */
  text: string;
  /** `small sample (n=4)` when the sample is small, else null. */
  flag: string | null;
  sample: Sample;
}

/**
 * A rate with its sample, as every view shows it: sample 'none' (or a null rate) → `no leads` (the noun is
 * the rate's denominator: "no calls", "no missed calls"); 'small' → the percentage with the flag
 * `small sample (n=4)`; 'ok' → the percentage. Never 0% or 100% for an empty set.
 */
export function rateText(rate: number | null, sample: Sample, n: number, noun = 'leads'): RateText {
  if (sample === 'none' || rate === null || !Number.isFinite(rate)) return { text: `no ${noun}`, flag: null, sample: 'none' };
  return { text: formatPercent(rate), flag: sample === 'small' ? smallSampleLabel(n) : null, sample };
}

/** `small sample (n=4)`. */
export function smallSampleLabel(n: number): string {
  return `small sample (n=${formatCount(n)})`;
}

/** A RateText as one string: `50% · small sample (n=2)`, `no leads`, `33.3%`. */
export function rateString(rate: RateText): string {
  return rate.flag ? `${rate.text} · ${rate.flag}` : rate.text;
}

/** What the ROI column shows. */
export const NO_SPEND = 'no spend entered';
export const ZERO_SPEND = 'spend was 0';

/**
 * ROI as the page shows it: `+500%`; a source with no spend entered says so (never an infinite ROI); a
 * spend entered as 0 has no ROI either, and says why.
 */
export function formatRoi(roi: number | null, spendEntered: boolean, spend: number | null): string {
  if (!spendEntered) return NO_SPEND;
  if (roi === null) return spend === 0 ? ZERO_SPEND : MISSING;
  return formatSignedPercent(roi);
}

/** A cost ratio (cost per lead / per booking): money, or why there is none. */
export function formatCost(value: number | null, spendEntered: boolean, denominator: number, noun: 'leads' | 'bookings', currency: string): string {
  if (!spendEntered) return NO_SPEND;
  if (value === null) return denominator === 0 ? `no ${noun}` : MISSING;
  return formatMoney(value, currency);
}

/** `2026-03` → `Mar 2026`. */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (!y || !m) return month;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** `2026-03-05` → `Mar 5, 2026`. */
export function formatDay(day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(time)) return day;
  return new Date(time).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

/** A range as a title says it: `Sep 16, 2026 – Oct 15, 2026`. */
export function formatRange(from: string, to: string): string {
  return from === to ? formatDay(from) : `${formatDay(from)} – ${formatDay(to)}`;
}
