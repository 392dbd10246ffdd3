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
 *
 * @example
 * aggregateForecast(forecast, monthBucket, { seed: 1 }); // [{ bucket: '2026-12', steps: 31, mean: 148.2, lo80: 131, ... }]
 */
export function aggregateForecast(
  forecast: SeriesForecast,
  bucketOf: (date: string) => string,
  options: AggregateOptions = {},
): BucketTotal[] {
  const paths = options.paths ?? 2000;
  const levels = options.levels ?? [80, 95];
  const labels: string[] = [];
  const bucketIndex = forecast.points.map((point) => {
    const label = bucketOf(point.date);
    let index = labels.indexOf(label);
    if (index < 0) index = labels.push(label) - 1;
    return index;
  });
  const totals = labels.map(() => new Float64Array(paths));
  forecast.samplePaths(paths, options.seed ?? 0).forEach((path, p) => {
    path.forEach((value, h) => {
      const bucket = totals[bucketIndex[h] as number] as Float64Array;
      bucket[p] = (bucket[p] as number) + value;
    });
  });
  return labels.map((bucket, b) => {
    const sorted = (totals[b] as Float64Array).sort();
    let mean = 0;
    let steps = 0;
    forecast.points.forEach((point, h) => {
      if (bucketIndex[h] === b) {
        mean += point.mean;
        steps++;
      }
    });
    const total: BucketTotal = { bucket, steps, mean };
    for (const level of levels) {
      total[`lo${level}`] = empiricalQuantile(sorted, (1 - level / 100) / 2);
      total[`hi${level}`] = empiricalQuantile(sorted, (1 + level / 100) / 2);
    }
    return total;
  });
}

/** The smallest sorted value with at least a share p of the values at or below it; NaN if empty. */
export function empiricalQuantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] as number;
}

/** The Monday (`YYYY-MM-DD`) starting the ISO week of a `YYYY-MM-DD...` date. */
export function weekBucket(date: string): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** The month (`YYYY-MM`) of a `YYYY-MM-DD...` date. */
export function monthBucket(date: string): string {
  return date.slice(0, 7);
}
