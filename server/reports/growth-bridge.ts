// The growth bridge: revenue = leads x conversion x average booked value, per channel, where
// conversion = bookings / leads and average value = revenue / bookings. The change of revenue between
// the base and the current period is split into three effects by the Shapley value (the average, over
// the 3! = 6 orders in which the factors can be changed one at a time, of each factor's contribution).
// For a product of three factors it has a closed form, exact (the three effects add up to the change):
//   volume     = dL x [ (c0 v0 + c1 v1) / 3 + (c0 v1 + c1 v0) / 6 ]
//   conversion = dc x [ (L0 v0 + L1 v1) / 3 + (L0 v1 + L1 v0) / 6 ]
//   value      = dv x [ (L0 c0 + L1 c1) / 3 + (L0 c1 + L1 c0) / 6 ]
// A factor with no meaning in a period (conversion without leads, average value without bookings) takes
// its value from the other period (0 when neither has one): the period's revenue is 0 either way (a zero
// factor beside it), the identity revenue = L x c x v still holds, and that factor then gets no effect,
// which is what one expects (a channel that appears gains by volume only, at its new conversion and value;
// one that disappears loses by volume only). No NaN, no division by 0.
// Rounding: money is handled in whole cents. Each effect is rounded to the cent; the 1-2 cents the
// rounding may leave are put into the effect of largest absolute size (volume first on a tie) and shown
// as `roundingAdjustment`, so volume + conversion + value = change exactly for every channel. The total
// row is the sum of the channel rows (so it adds up both ways); an aggregate-level split would add a
// channel-mix term, which the per-channel split spreads over the channels' own effects instead.
//
// Pure arithmetic on the periods' rows: no database, unit-testable.

import type { GrowthRow } from './growth.queries.js';
import type { BridgeFactors, BridgeRow, GrowthBridge } from './outcomes.contract.js';
import { money, rate } from './report-query.js';

export const BRIDGE_METHOD =
  'Revenue = leads x conversion x average booked value, per channel. The change is split into volume, conversion and value effects by the Shapley value ' +
  "(each factor's contribution averaged over every order of changing the three factors), which is exact. A factor undefined in one period " +
  '(no leads, or no bookings) takes its value from the other period. Effects are rounded to the cent and the rounding remainder goes into the largest ' +
  'effect (roundingAdjustment), so the three add up exactly to the change; the total is the sum of the channels.';

/** One period's factors, money in cents. */
export interface Period {
  leads: number;
  bookings: number;
  cents: number;
}

/** Money as read from the database (numeric as text) in whole cents. */
export const toCents = (text: string | number): number => Math.round(Number(text) * 100);

/**
 * The Shapley split of one channel's revenue change into volume, conversion and value effects, in cents,
 * rounded so that they add up exactly to the change (see the file comment).
 */
export function shapleyBridge(base: Period, current: Period): { change: number; volume: number; conversion: number; value: number; adjustment: number } {
  const conv = (p: Period) => (p.leads > 0 ? p.bookings / p.leads : null);
  const val = (p: Period) => (p.bookings > 0 ? p.cents / p.bookings : null);
  const c0 = conv(base) ?? conv(current) ?? 0;
  const c1 = conv(current) ?? conv(base) ?? 0;
  const v0 = val(base) ?? val(current) ?? 0;
  const v1 = val(current) ?? val(base) ?? 0;
  const L0 = base.leads;
  const L1 = current.leads;
  const raw = {
    volume: (L1 - L0) * ((c0 * v0 + c1 * v1) / 3 + (c0 * v1 + c1 * v0) / 6),
    conversion: (c1 - c0) * ((L0 * v0 + L1 * v1) / 3 + (L0 * v1 + L1 * v0) / 6),
    value: (v1 - v0) * ((L0 * c0 + L1 * c1) / 3 + (L0 * c1 + L1 * c0) / 6),
  };
  const change = current.cents - base.cents;
  const rounded = { volume: Math.round(raw.volume), conversion: Math.round(raw.conversion), value: Math.round(raw.value) };
  const adjustment = change - rounded.volume - rounded.conversion - rounded.value;
  if (adjustment !== 0) {
    const largest = (['volume', 'conversion', 'value'] as const).reduce(
      (best, key) => (Math.abs(raw[key]) > Math.abs(raw[best]) ? key : best),
      'volume' as 'volume' | 'conversion' | 'value',
    );
    rounded[largest] += adjustment;
  }
  // Normalise -0 (a zero effect of a negative factor change) to 0.
  return { change, volume: rounded.volume + 0, conversion: rounded.conversion + 0, value: rounded.value + 0, adjustment };
}

function factors(p: Period): BridgeFactors {
  return {
    leads: p.leads,
    bookings: p.bookings,
    conversion: rate(p.bookings, p.leads),
    averageValue: p.bookings > 0 ? money(p.cents / 100 / p.bookings) : null,
    revenue: p.cents / 100,
  };
}

/** The bridge from the base period's rows to the current period's (each: one row per channel and a
 * 'total' row, as growth.queries.ts loads them): a row per channel, and their sum. */
export function growthBridge(
  base: { from: string; to: string; compare: GrowthBridge['compare'] },
  current: { from: string; to: string },
  baseRows: readonly GrowthRow[],
  currentRows: readonly GrowthRow[],
): GrowthBridge {
  const periodOf = (rows: readonly GrowthRow[], channel: string): Period => {
    const row = rows.find((r) => r.key !== 'total' && r.channel === channel);
    return { leads: row?.leads ?? 0, bookings: row?.bookings ?? 0, cents: toCents(row?.revenue ?? 0) };
  };
  const channels = [...new Set([...baseRows, ...currentRows].filter((r) => r.key !== 'total' && r.channel !== null).map((r) => r.channel!))].sort();
  const rows: BridgeRow[] = channels.map((channel) => {
    const b = periodOf(baseRows, channel);
    const c = periodOf(currentRows, channel);
    const split = shapleyBridge(b, c);
    return {
      channel,
      base: factors(b),
      current: factors(c),
      change: split.change / 100,
      volumeEffect: split.volume / 100,
      conversionEffect: split.conversion / 100,
      valueEffect: split.value / 100,
      roundingAdjustment: split.adjustment / 100,
    };
  });
  // The total row: the channels summed, in cents (so it adds up exactly both ways).
  const sumCents = (pick: (row: BridgeRow) => number) => rows.reduce((sum, row) => sum + Math.round(pick(row) * 100), 0) / 100;
  const totalPeriod = (side: 'base' | 'current'): Period => ({
    leads: rows.reduce((s, r) => s + r[side].leads, 0),
    bookings: rows.reduce((s, r) => s + r[side].bookings, 0),
    cents: rows.reduce((s, r) => s + Math.round(r[side].revenue * 100), 0),
  });
  const total: BridgeRow = {
    channel: 'total',
    base: factors(totalPeriod('base')),
    current: factors(totalPeriod('current')),
    change: sumCents((r) => r.change),
    volumeEffect: sumCents((r) => r.volumeEffect),
    conversionEffect: sumCents((r) => r.conversionEffect),
    valueEffect: sumCents((r) => r.valueEffect),
    roundingAdjustment: sumCents((r) => r.roundingAdjustment),
  };
  return { method: BRIDGE_METHOD, compare: base.compare, base: { from: base.from, to: base.to }, current, channels: rows, total };
}
