// The worker pool behind the nightly forecasts, on the compiled library (dist/, `npm run build`):
// it really runs on worker threads, and gives exactly what the calling thread computes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(process.cwd(), 'dist', 'forecasting');
if (!existsSync(join(dist, 'forecast-pool.worker.js'))) throw new Error('run `npm run build` first: this test uses dist/forecasting');
const { ForecastPool } = (await import(join(dist, 'forecast-pool.js'))) as typeof import('../../forecasting/forecast-pool.js');
const { forecastPractice } = (await import(join(dist, 'practice-forecast.js'))) as typeof import('../../forecasting/practice-forecast.js');

const pool = new ForecastPool({ threads: 2 });
afterAll(() => pool.close());

function input(seed: number) {
  const values = Array.from({ length: 150 }, (_, i) => ((i * 7 + seed) % 11) + (i % 7 === 6 ? 0 : 3));
  return {
    start: '2025-01-06',
    total: values,
    channels: [{ name: 'phone', values: values.map((v) => Math.floor(v / 2)) }],
    calls: null,
    horizon: 45,
    closedDates: [],
    seed: `p${seed}`,
    paths: 100,
    revenue: null,
  };
}

describe('ForecastPool', () => {
  it('runs jobs on 2 worker threads with the same results as the calling thread, in order', async () => {
    expect(pool.threads).toBe(2);
    const inputs = [1, 2, 3].map(input);
    const results = await Promise.all(inputs.map((job) => pool.run(job)));
    results.forEach((result, i) => expect(JSON.stringify(result)).toBe(JSON.stringify(forecastPractice(inputs[i]!))));
    expect(results[0]!.total!.points).toHaveLength(45);
    // They ran on live worker threads, not in the calling thread's fallback.
    expect(pool.liveWorkers).toBe(2);
  });

  it('rejects a bad job with its error and keeps working', async () => {
    await expect(pool.run({ ...input(4), start: 'not a date' })).rejects.toThrow(/cannot parse start date/);
    expect((await pool.run(input(5))).total).not.toBeNull();
  });
});
