// Number and duration formatting for the TV. Pure functions: no DOM, no Svelte, unit-tested in
// test/wallboard/format.test.ts. Every formatter takes `null` (the contract's "no data yet") and
// answers with MISSING rather than a misleading zero.

/** What the board shows for "no value": an em dash, never `0` or `NaN`. */
export const MISSING = '—';

const isNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A duration in whole seconds, in the units a person reads from across a room:
 * `45 s`, `3 m 20 s`, `1 h 05 m`, `2 d 03 h`. Fractions are floored (a timer shows 59 s until it
 * reaches a minute), negatives clamp to `0 s` (clock skew must never show "-3 s").
 * `null`, `undefined` and `NaN` give MISSING.
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return MISSING;
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${pad2(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad2(Math.floor((s % 3600) / 60))} m`;
  return `${Math.floor(s / 86_400)} d ${pad2(Math.floor((s % 86_400) / 3600))} h`;
}

/**
 * A round threshold as people say it: `300` → `5 m`, `900` → `15 m`, `3600` → `1 h`, `90` → `90 s`.
 * Anything not a whole number of minutes or hours falls back to formatDuration.
 */
export function formatThreshold(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0 && seconds < 3600) return `${seconds / 60} m`;
  if (seconds < 120 && Number.isInteger(seconds)) return `${seconds} s`;
  return formatDuration(seconds);
}

/** A rate in [0, 1] as a whole percentage, `0.237` → `24%`; `null` gives MISSING. */
export function formatPercent(rate: number | null | undefined): string {
  if (!isNumber(rate)) return MISSING;
  return `${Math.round(rate * 100)}%`;
}

export type DeltaDirection = 'up' | 'down' | 'flat';

export interface Delta {
  direction: DeltaDirection;
  /** Absolute difference. */
  amount: number;
  /** Signed, with a real minus sign so it reads cleanly at a distance: `+3`, `−2`, `±0`. */
  text: string;
}

/** `current` compared with `previous` (e.g. new-patient leads now vs the same time last week). */
export function delta(current: number, previous: number): Delta {
  const diff = current - previous;
  if (diff > 0) return { direction: 'up', amount: diff, text: `+${diff}` };
  if (diff < 0) return { direction: 'down', amount: -diff, text: `\u2212${-diff}` };
  return { direction: 'flat', amount: 0, text: '±0' };
}

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators; `null` gives MISSING. */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? countFormat.format(value) : MISSING;
}

// One formatter per currency, cached: building an Intl.NumberFormat is slow on a TV browser and
// the board re-renders every update. A practice has one currency, so the cache stays tiny.
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** A whole-unit amount of money, `12500, 'GBP'` → `£12,500`. An unknown currency code falls back
 * to a plain number followed by the code rather than throwing. */
export function formatMoney(value: number | null | undefined, currency: string): string {
  if (!isNumber(value)) return MISSING;
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
    } catch {
      return `${countFormat.format(value)} ${currency}`;
    }
    if (moneyFormats.size > 8) moneyFormats.clear();
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}

/** The word for `count` of something: `plural(1, 'patient', 'patients')` → `patient`. */
export const plural = (count: number, one: string, many: string): string => (count === 1 ? one : many);
