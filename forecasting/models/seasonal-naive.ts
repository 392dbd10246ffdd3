import type { Rng } from '../prng.js';
import { sampleNormal } from '../sampling.js';
import type { FittedModel, ForecastMoments, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, toKind, usablePeriod } from './series-statistics.js';

/**
 * Seasonal naive, the baseline every other model must beat: each step repeats the last observed
 * value one (or more, past missing/closed steps) seasonal periods back. As a seasonal random walk
 * its variance grows with the number of cycles ahead: σ²·ceil(h/m), σ² the mean squared
 * seasonal difference. Without two full cycles it is the plain naive forecast (m = 1).
 *
 * Cost: O(n + h). Needs one observed value.
 * Not applicable to a series without an observed value (an empty one): the automatic choice
 * skips it; fit() there forecasts NaN means.
 *
 * @example
 * seasonalNaive.fit(prepareSeries(counts, [7]), counts.length).forecast(14).mean; // last week, twice
 */
export const seasonalNaive: ModelSpec = {
  name: 'seasonal-naive',
  applicable: (series, length) => countObserved(series.values, length) >= 1,
  fit: (series, length) => fitSeasonalNaive(series, length),
};

function fitSeasonalNaive(series: PreparedSeries, length: number): FittedModel {
  const { values } = series;
  const m = usablePeriod(series.periods, length);
  let sumSquares = 0;
  let pairs = 0;
  for (let t = m; t < length; t++) {
    const d = (values[t] as number) - (values[t - m] as number);
    if (!Number.isNaN(d)) {
      sumSquares += d * d;
      pairs++;
    }
  }
  const sigma2 = pairs === 0 ? 0 : sumSquares / pairs;
  // The value each phase of the cycle repeats: the last observed one at that phase (or, for a
  // phase never observed, the last observed value at all).
  let lastObserved = Number.NaN;
  for (let t = length - 1; t >= 0 && Number.isNaN(lastObserved); t--) lastObserved = values[t] as number;
  const template = new Float64Array(m);
  for (let phase = 0; phase < m; phase++) {
    let value = Number.NaN;
    for (let t = length - m + phase; t >= 0 && Number.isNaN(value); t -= m) value = values[t] as number;
    template[phase] = Number.isNaN(value) ? lastObserved : value;
  }
  const count = series.kind === 'count';

  return {
    periodsUsed: m > 1 ? [series.periods[0] as number] : [],
    forecast(horizon: number): ForecastMoments {
      const mean = new Float64Array(horizon);
      const variance = new Float64Array(horizon);
      for (let h = 1; h <= horizon; h++) {
        mean[h - 1] = template[(h - 1) % m] as number;
        variance[h - 1] = sigma2 * Math.ceil(h / m);
      }
      return { mean, variance };
    },
    simulate(horizon: number, rng: Rng): Float64Array {
      const path = new Float64Array(horizon);
      const sigma = Math.sqrt(sigma2);
      const level = Float64Array.from(template);
      for (let h = 0; h < horizon; h++) {
        const phase = h % m;
        level[phase] = (level[phase] as number) + sigma * sampleNormal(rng);
        path[h] = toKind(level[phase], count);
      }
      return path;
    },
  };
}
