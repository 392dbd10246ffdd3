import type { SeriesForecast } from './forecast-series.js';

/** A total over a bucket of forecast steps (a week, a month), with simulated bands. */
export interface BucketTotal {
  bucket: string;
  /** Number of forecast steps in the bucket (a partial first/last week has fewer). */
  steps: number;
  /** Sum of the step means (the exact expectation of the total). */
  mean: number;
  [bound: `lo${number}` | `hi${number}`]: number;
}

export interface AggregateOptions {
  /** Sample paths to simulate; default 2000. */
  paths?: number;
  seed?: number | string;
  /** Interval levels in percent; default [80, 95]. */
  levels?: readonly number[];
}

/**
 * Totals of a forecast per bucket (e.g. per week or month) with intervals taken from simulated
 * joint sample paths of the chosen model, so that days that move together widen the band as
 * they should; adding up the daily bounds would overstate it for independent days and cannot be
 * right in general. Same forecast and seed give the same totals.
 *
 * `bucketOf` maps a point's date to its bucket label ({@link weekBucket}, {@link monthBucket});
 * buckets come out in order of first appearance. Bounds are empirical quantiles of the path
 * totals (the smallest total with at least p of the paths at or below it).
 *
 * Cost: O(paths × horizon) time, O(paths × buckets) memory.
 * A forecast without points (horizon 0) gives `[]`.
 *
 * @example
 * aggregateForecast(forecast, monthBucket, { seed: 1 }); // [{ bucket: '2026-12', steps: 31, mean: 148.2, lo80: 131, ... }]
 */
export function aggregateForecast(forecast: SeriesForecast, bucketOf: (date: string) => string, options: AggregateOptions = {}): BucketTotal[] {
  const levels = options.levels ?? [80, 95];
  const sums = bucketPathTotals(forecast, bucketOf, options.paths ?? 2000, options.seed ?? 0);
  return sums.labels.map((bucket, b) => {
    const total: BucketTotal = { bucket, steps: sums.steps[b] as number, mean: sums.means[b] as number };
    Object.assign(total, bucketBounds(sums.totals[b] as Float64Array, levels));
    return total;
  });
}

/** Per bucket: its label, steps, exact mean, and the total of each sample path (unsorted, path order). */
export interface BucketPathTotals {
  labels: string[];
  steps: number[];
  means: number[];
  /** totals[b][p]: the sum of path p over bucket b. Paths are joint across buckets. */
  totals: Float64Array[];
}

/**
 * Sums each of `paths` seeded joint sample paths of the forecast over the buckets (weeks,
 * months): the building block of {@link aggregateForecast}, kept path by path so that later
 * steps (a revenue simulation, a total over several months) keep the dependence between
 * buckets. Cost: O(paths × horizon) time, O(paths × buckets) memory.
 * A forecast without points gives empty labels, steps, means and totals.
 *
 * @example
 * bucketPathTotals(forecast, monthBucket, 1000, 1).totals[0]; // Float64Array(1000): the first month's path totals
 */
export function bucketPathTotals(forecast: SeriesForecast, bucketOf: (date: string) => string, paths: number, seed: number | string): BucketPathTotals {
  return sumPathsByBucket(forecast.points, forecast.samplePaths(paths, seed), bucketOf);
}

/**
 * {@link bucketPathTotals} over sample paths already drawn (`paths[p][h]` belongs to `points[h]`).
 * Cost: O(paths × points + points × buckets). No points give empty arrays; no paths give a
 * zero-length total per bucket.
 *
 * @example
 * sumPathsByBucket([{ date: '2026-01-31', mean: 2 }, { date: '2026-02-01', mean: 3 }], [Float64Array.of(1, 4)], monthBucket).totals; // [[1], [4]]
 */
export function sumPathsByBucket(
  points: readonly { date: string; mean: number }[],
  paths: readonly Float64Array[],
  bucketOf: (date: string) => string,
): BucketPathTotals {
  const labels: string[] = [];
  const steps: number[] = [];
  const means: number[] = [];
  let last = '';
  let lastIndex = -1;
  const bucketIndex = points.map((point) => {
    const label = bucketOf(point.date);
    if (label !== last) {
      last = label;
      lastIndex = labels.indexOf(label);
      if (lastIndex < 0) {
        lastIndex = labels.push(label) - 1;
        steps.push(0);
        means.push(0);
      }
    }
    steps[lastIndex] = (steps[lastIndex] as number) + 1;
    means[lastIndex] = (means[lastIndex] as number) + point.mean;
    return lastIndex;
  });
  const totals = labels.map(() => new Float64Array(paths.length));
  paths.forEach((path, p) => {
    for (let h = 0; h < bucketIndex.length; h++) {
      const bucket = totals[bucketIndex[h] as number] as Float64Array;
      bucket[p] = (bucket[p] as number) + (path[h] as number);
    }
  });
  return { labels, steps, means, totals };
}

/**
 * `lo<level>`/`hi<level>` empirical quantiles of path totals (the array is not modified).
 * Cost: O(n log n) for n totals (one sorted copy). Empty totals give NaN bounds.
 *
 * @example
 * bucketBounds(Float64Array.of(3, 1, 2, 4), [50]); // { lo50: 1, hi50: 3 }
 */
export function bucketBounds(totals: Float64Array, levels: readonly number[]): Record<`lo${number}` | `hi${number}`, number> {
  const sorted = Float64Array.from(totals).sort();
  const bounds: Record<`lo${number}` | `hi${number}`, number> = {};
  for (const level of levels) {
    bounds[`lo${level}`] = empiricalQuantile(sorted, (100 - level) / 200);
    bounds[`hi${level}`] = empiricalQuantile(sorted, (100 + level) / 200);
  }
  return bounds;
}

/**
 * The smallest sorted value with at least a share p of the values at or below it; NaN if empty.
 * Cost: O(1).
 *
 * @example
 * empiricalQuantile([1, 2, 3, 4], 0.5); // 2
 */
export function empiricalQuantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // The tolerance keeps p·n that should be whole (0.025 × 400) from rounding up past it.
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length - 1e-9) - 1));
  return sorted[index] as number;
}

/**
 * The Monday (`YYYY-MM-DD`) starting the ISO week of a `YYYY-MM-DD...` date.
 * Cost: O(1). An empty or malformed date gives a meaningless week, not an error.
 *
 * @example
 * weekBucket('2026-12-03'); // '2026-11-30'
 */
export function weekBucket(date: string): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The month (`YYYY-MM`) of a `YYYY-MM-DD...` date.
 * Cost: O(1). An empty string gives ''.
 *
 * @example
 * monthBucket('2026-12-03'); // '2026-12'
 */
export function monthBucket(date: string): string {
  return date.slice(0, 7);
}
