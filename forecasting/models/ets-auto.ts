import type { Rng } from '../prng.js';
import { type EtsModel, refitEts, selectEts } from './ets-family.js';
import type { FittedModel, ModelSpec, PreparedSeries } from './model.js';
import { countObserved, toKind, usablePeriod } from './series-statistics.js';

interface EtsAutoFit extends FittedModel {
  readonly model: EtsModel;
  /** The season the choice could use (1: none), see usablePeriod. */
  readonly usablePeriod: number;
}

/**
 * Automatic ETS by likelihood, as R's `ets()`: the types ANN, AAdN, ANA, AAdA and, for positive
 * data, MNN, MAdN, MNM, MAdM (damped trend, additive or multiplicative season) are fitted by
 * maximum likelihood and the lowest AICc wins (see {@link selectEts}). The season is the shortest
 * period when two full cycles are present (and the period is at most 52). With `previous` (a
 * backtest warm start) fitted with the same usable season, the chosen type and parameters are
 * reused and only the filter runs; otherwise the choice runs again.
 *
 * Cost: ~8 fits of O(n) × ~200 evaluations; O(h) to forecast.
 * Not applicable to an empty series (fewer than 4 observed values): the automatic choice skips it.
 *
 * @example
 * etsAuto.fit(prepareSeries(counts, [7]), counts.length).forecast(28).mean;
 */
export const etsAuto: ModelSpec = {
  name: 'ets',
  applicable: (series, length) => countObserved(series.values, length) >= 4,
  fit: (series: PreparedSeries, length: number, previous?: FittedModel): FittedModel => {
    const m = usablePeriod(series.periods, length);
    let positive = true;
    for (let t = 0; t < length && positive; t++) if ((series.values[t] as number) <= 0) positive = false;
    // A warm start keeps the earlier type only while the same season is usable: an origin with
    // under two cycles chose a type without it, and keeping it would lose the season for good.
    const warm = previous as EtsAutoFit | undefined;
    const model =
      (warm?.usablePeriod === m ? refitEts(series.values, length, warm.model) : null) ??
      selectEts(series.values, length, m, { multiplicative: positive }) ??
      selectEts(series.values, length, 1, { multiplicative: false, types: [{ error: 'A', trend: 'N', season: 'N' }] })!;
    const count = series.kind === 'count';
    const fit: EtsAutoFit = {
      model,
      usablePeriod: m,
      label: `ets(${model.label})`,
      periodsUsed: model.type.season === 'N' ? [] : [series.periods[0] as number],
      forecast: (horizon) => model.forecast(horizon),
      simulate(horizon: number, rng: Rng): Float64Array {
        const path = model.simulate(horizon, rng);
        for (let h = 0; h < horizon; h++) path[h] = toKind(path[h] as number, count);
        return path;
      },
    };
    return fit;
  },
};
