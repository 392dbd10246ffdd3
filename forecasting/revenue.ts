import { negativeBinomialSize } from './predictive-quantiles.js';
import { createRng } from './prng.js';
import { sampleBeta, sampleBinomial, sampleNegativeBinomial, sampleNormal } from './sampling.js';
import { empiricalQuantile } from './aggregate-paths.js';

/** A channel's history: leads, how many booked, and the values of booked patients. */
export interface ChannelHistory {
  channel: string;
  leads: number;
  booked: number;
  /** Value of each booked patient whose value is known (may be fewer than `booked`, or empty). */
  bookedValues: readonly number[];
}

/** Forecast leads of one channel per future period (e.g. month): predictive mean and variance. */
export interface ChannelLeadForecast {
  channel: string;
  periods: readonly { mean: number; variance: number }[];
  /**
   * Joint sample paths of the channel's lead totals per period: `paths[t][p]` is path p's total
   * in period t (e.g. from sumPathsByBucket). When given, simulation path p uses lead path
   * p mod count, so months that move together (a level shift, a trend) keep doing so in revenue
   * and in totals over several months; without them, each period's leads are drawn
   * independently from NB(mean, variance).
   */
  paths?: readonly Float64Array[];
}

/** What the projection assumed for one channel. */
export interface ChannelAssumption {
  channel: string;
  /** Raw booking rate booked/leads (null with no leads). */
  observedRate: number | null;
  /** Booking rate shrunk toward the practice's overall rate (posterior mean). */
  bookingRate: number;
  /** Value per booked patient, shrunk toward the practice's mean value. */
  valuePerBooked: number;
}

/** Expected revenue in one period (or in total) with ranges. */
export interface RevenueRange {
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface RevenueProjection {
  channels: ChannelAssumption[];
  periods: RevenueRange[];
  total: RevenueRange;
  /** `runningTotals[t]`: revenue of periods 0..t together (the last one equals `total`). */
  runningTotals: RevenueRange[];
}

export interface RevenueOptions {
  seed?: number | string;
  /** Simulated paths; default 4000. */
  paths?: number;
}

/** Prior strength (in leads) used when there are too few channels to estimate it. */
const DEFAULT_PRIOR_LEADS = 20;
/** Pseudo-bookings pulling a channel's value per booked patient toward the practice mean. */
const VALUE_PSEUDO_BOOKINGS = 5;

/**
 * Expected new-patient revenue = leads × P(booking) × value per booked patient, per channel and
 * summed, with 80% and 95% ranges from seeded simulation.
 *
 * Booking rates are empirical-Bayes beta-binomial: the prior is Beta(M·p̄, M·(1 − p̄)), p̄ the
 * practice's overall rate and M (in leads) from the between-channel spread of rates by moments
 * (M = 20 with fewer than 3 channels; clamped to [2, 1000]); a channel's rate is its posterior, so
 * a channel with 4 leads sits near p̄ and one with 400 near its own rate. Values per booked patient
 * are shrunk the same way with 5 pseudo-bookings. Each path draws every channel's rate and mean
 * value once (they are uncertain but fixed over the horizon), then per period leads ~ NB(forecast
 * mean, variance), bookings ~ Binomial(leads, rate), revenue ~ bookings × value + per-patient
 * spread. With lead `paths` (see ChannelLeadForecast) those replace the NB draws. Channels in the
 * forecast but not in the history get p̄ and the mean value. `runningTotals` give the range of
 * the first 1, 2, ... periods together, so a window of the first k months is a slice of one run.
 *
 * No history (or no leads at all) gives rate 0 and zero revenue; no known values give value 0.
 * Cost: O(paths × channels × periods). Same input and seed, same output.
 * An empty forecast gives no channels or periods and a total of zeros.
 *
 * @example
 * projectRevenue([{ channel: 'phone', leads: 300, booked: 120, bookedValues: [900, 1200] }],
 *   [{ channel: 'phone', periods: [{ mean: 30, variance: 40 }] }], { seed: 1 }).total.mean; // ≈ 30 × 0.4 × 1050
 */
export function projectRevenue(history: readonly ChannelHistory[], forecast: readonly ChannelLeadForecast[], options: RevenueOptions = {}): RevenueProjection {
  const paths = options.paths ?? 4000;
  const rng = createRng(options.seed ?? 0);
  const totalLeads = history.reduce((s, c) => s + c.leads, 0);
  const totalBooked = history.reduce((s, c) => s + c.booked, 0);
  const overallRate = totalLeads > 0 ? totalBooked / totalLeads : 0;
  const priorLeads = priorStrength(history, overallRate);
  const allValues = history.flatMap((c) => c.bookedValues.filter(Number.isFinite));
  const overallValue = allValues.length > 0 ? allValues.reduce((s, v) => s + v, 0) / allValues.length : 0;
  const valueSd = allValues.length > 1 ? Math.sqrt(allValues.reduce((s, v) => s + (v - overallValue) ** 2, 0) / (allValues.length - 1)) : 0;

  const channels = forecast.map(({ channel }) => {
    const past = history.find((c) => c.channel === channel);
    const leads = past?.leads ?? 0;
    const booked = past?.booked ?? 0;
    const values = past?.bookedValues.filter(Number.isFinite) ?? [];
    const a = priorLeads * overallRate + booked;
    const b = priorLeads * (1 - overallRate) + Math.max(0, leads - booked);
    const valueWeight = values.length + VALUE_PSEUDO_BOOKINGS;
    return {
      assumption: {
        channel,
        observedRate: leads > 0 ? booked / leads : null,
        bookingRate: a + b > 0 ? a / (a + b) : 0,
        valuePerBooked: (values.reduce((s, v) => s + v, 0) + VALUE_PSEUDO_BOOKINGS * overallValue) / valueWeight,
      },
      a,
      b,
      valueSe: valueSd / Math.sqrt(valueWeight),
    };
  });

  const periodCount = Math.max(0, ...forecast.map((f) => f.periods.length));
  const periodTotals = Array.from({ length: periodCount }, () => new Float64Array(paths));
  const grandTotals = new Float64Array(paths);
  for (let p = 0; p < paths; p++) {
    forecast.forEach((channelForecast, c) => {
      const { assumption, a, b, valueSe } = channels[c]!;
      if (overallRate === 0 && a === 0) return;
      const rate = a > 0 && b > 0 ? sampleBeta(rng, a, b) : assumption.bookingRate;
      const value = Math.max(0, assumption.valuePerBooked + valueSe * sampleNormal(rng));
      channelForecast.periods.forEach(({ mean, variance }, t) => {
        const leadPaths = channelForecast.paths?.[t];
        const leads =
          leadPaths && leadPaths.length > 0
            ? Math.max(0, Math.round(leadPaths[p % leadPaths.length] as number))
            : sampleNegativeBinomial(rng, mean, negativeBinomialSize(mean, variance));
        const bookings = sampleBinomial(rng, leads, rate);
        const revenue = Math.max(0, bookings * value + Math.sqrt(bookings) * valueSd * sampleNormal(rng));
        const totals = periodTotals[t] as Float64Array;
        totals[p] = (totals[p] as number) + revenue;
        grandTotals[p] = (grandTotals[p] as number) + revenue;
      });
    });
  }
  const expected = (t?: number): number =>
    forecast.reduce((sum, f, c) => {
      const { bookingRate, valuePerBooked } = channels[c]!.assumption;
      const leads = t === undefined ? f.periods.reduce((s, q) => s + q.mean, 0) : (f.periods[t]?.mean ?? 0);
      return sum + leads * bookingRate * valuePerBooked;
    }, 0);
  // Running totals before range() sorts the period totals in place.
  const runningTotals: Float64Array[] = [];
  periodTotals.forEach((totals, t) => {
    const running = Float64Array.from(totals);
    const previous = runningTotals[t - 1];
    if (previous) for (let p = 0; p < paths; p++) running[p] = (running[p] as number) + (previous[p] as number);
    runningTotals.push(running);
  });
  let expectedSoFar = 0;
  return {
    channels: channels.map((c) => c.assumption),
    periods: periodTotals.map((totals, t) => range(expected(t), totals)),
    total: range(expected(), grandTotals),
    runningTotals: runningTotals.map((totals, t) => range((expectedSoFar += expected(t)), totals)),
  };
}

/**
 * Beta prior strength M (in leads) by moments: the between-channel variance of rates τ², net of
 * binomial noise, gives M = p̄(1 − p̄)/τ² − 1. Falls back to 20 with fewer than 3 channels.
 */
function priorStrength(history: readonly ChannelHistory[], overallRate: number): number {
  const channels = history.filter((c) => c.leads > 0);
  if (channels.length < 3 || overallRate <= 0 || overallRate >= 1) return DEFAULT_PRIOR_LEADS;
  const n = channels.reduce((s, c) => s + c.leads, 0);
  const n2 = channels.reduce((s, c) => s + c.leads * c.leads, 0);
  const spread = channels.reduce((s, c) => s + c.leads * (c.booked / c.leads - overallRate) ** 2, 0);
  const binomial = overallRate * (1 - overallRate);
  const tau2 = (spread - (channels.length - 1) * binomial) / (n - n2 / n);
  if (!(tau2 > 0)) return 1000;
  return Math.min(1000, Math.max(2, binomial / tau2 - 1));
}

function range(mean: number, totals: Float64Array): RevenueRange {
  const sorted = totals.sort();
  return {
    mean,
    lo80: empiricalQuantile(sorted, 0.1),
    hi80: empiricalQuantile(sorted, 0.9),
    lo95: empiricalQuantile(sorted, 0.025),
    hi95: empiricalQuantile(sorted, 0.975),
  };
}
