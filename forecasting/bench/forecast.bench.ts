// `npm run bench:forecast`: accuracy on real public series (vega-datasets) and speed on
// synthetic practices. Prints the tables that docs/benchmarks.md quotes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backtest, planBacktest } from '../backtest.js';
import { addSteps, type Frequency, formatTimestamp, parseTimestamp, SEASONAL_PERIODS, stepsBetween } from '../calendar.js';
import { parseCsv } from '../csv.js';
import { forecastSeries, MODELS } from '../forecast-series.js';
import { intervalCoverage, maseScale, meanAbsoluteError } from '../metrics.js';
import type { ModelName } from '../models/model.js';
import { prepareSeries } from '../prepare-series.js';
import { createRng } from '../prng.js';
import { availableParallelism } from 'node:os';
import { ForecastPool } from '../forecast-pool.js';
import { expectedArrivalsByHour, hourOfWeekProfile } from '../intraday.js';
import type { PracticeForecastInput } from '../practice-forecast.js';
import { sampleBinomial } from '../sampling.js';
import { syntheticDailyLeads } from './synthetic-practice.js';

// The package exports only its JS build (in build/); the data files sit beside it in data/.
const dataDir = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
const csv = (name: string): string[][] => parseCsv(readFileSync(join(dataDir, name), 'utf8')).map((r) => r.fields);
const json = <T>(name: string): T => JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as T;

interface RealSeries {
  name: string;
  frequency: Frequency;
  horizon: number;
  start: string;
  values: number[];
}

/** Puts dated values on a regular grid (gaps NaN, or `fill` for counts where absence means 0). */
function regular(name: string, frequency: Frequency, horizon: number, rows: [string, number][], fill = Number.NaN): RealSeries {
  const parsed = rows.map(([d, v]) => ({ ms: parseTimestamp(d)!.ms, v })).sort((a, b) => a.ms - b.ms);
  const start = parsed[0]!.ms;
  const values: number[] = [];
  for (const { ms, v } of parsed) {
    const i = stepsBetween(start, ms, frequency)!;
    while (values.length < i) values.push(fill);
    values[i] = (Number.isNaN(values[i] ?? Number.NaN) ? 0 : values[i]!) + v;
  }
  return { name, frequency, horizon, start: formatTimestamp(start, frequency === 'hourly'), values };
}

const monthIndex: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};
const usDate = (text: string): string => {
  const [month, day, year] = text.split(' ') as [string, string, string];
  return `${year}-${monthIndex[month]}-${day.padStart(2, '0')}`;
};

function realSeries(): RealSeries[] {
  const seattle = csv('seattle-weather.csv').slice(1);
  const series: RealSeries[] = [
    regular(
      'seattle temp_max (daily)',
      'daily',
      28,
      seattle.map((r) => [r[0]!, Number(r[2])]),
    ),
    regular(
      'seattle precipitation (daily)',
      'daily',
      28,
      seattle.map((r) => [r[0]!, Number(r[1])]),
    ),
    regular(
      'seattle wind (daily)',
      'daily',
      28,
      seattle.map((r) => [r[0]!, Number(r[4])]),
    ),
    regular(
      'co2 (monthly)',
      'monthly',
      12,
      csv('co2-concentration.csv')
        .slice(1)
        .map((r) => [r[0]!, Number(r[1])]),
    ),
    regular(
      'us nonfarm employment (monthly)',
      'monthly',
      12,
      csv('us-employment.csv')
        .slice(1)
        .map((r) => [r[0]!, Number(r[1])]),
    ),
    regular(
      'sp500 (monthly)',
      'monthly',
      12,
      csv('sp500.csv')
        .slice(1)
        .map((r) => [usDate(r[0]!), Number(r[1])]),
    ),
    regular(
      'flights per day (daily counts)',
      'daily',
      14,
      json<{ date: string }[]>('flights-20k.json').map((f) => [f.date.slice(0, 10), 1]),
      0,
    ),
    regular(
      'github commits per hour (hourly counts)',
      'hourly',
      48,
      csv('github.csv')
        .slice(1)
        .map((r) => [r[0]!.slice(0, 13) + ':00', Number(r[1])]),
      0,
    ),
    regular(
      'seattle hourly temperature normals (hourly)',
      'hourly',
      48,
      csv('seattle-weather-hourly-normals.csv')
        .slice(1)
        .map((r) => [r[0]!.slice(0, 16), Number(r[2])]),
    ),
  ];
  // Weekly: Seattle's daily maximum temperature averaged per week (weeks starting 2012-01-02).
  const weekly = new Map<string, number[]>();
  for (const r of seattle) {
    const ms = parseTimestamp(r[0]!)!.ms;
    const monday = formatTimestamp(ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000, false);
    if (monday < '2012-01-02') continue;
    weekly.set(monday, [...(weekly.get(monday) ?? []), Number(r[2])]);
  }
  series.push(
    regular(
      'seattle temp_max weekly mean (weekly)',
      'weekly',
      13,
      [...weekly].map(([d, v]) => [d, v.reduce((s, x) => s + x, 0) / v.length]),
    ),
  );
  for (const [symbol, rows] of groupBy(csv('stocks.csv').slice(1), (r) => r[0]!)) {
    series.push(
      regular(
        `${symbol} stock price (monthly)`,
        'monthly',
        12,
        rows.map((r) => [usDate(r[1]!), Number(r[2])]),
      ),
    );
  }
  const unemployment = json<{ series: string; year: number; month: number; count: number }[]>('unemployment-across-industries.json');
  for (const [industry, rows] of groupBy(unemployment, (r) => r.series)) {
    series.push(
      regular(
        `unemployed: ${industry} (monthly)`,
        'monthly',
        12,
        rows.map((r) => [`${r.year}-${String(r.month).padStart(2, '0')}`, r.count]),
      ),
    );
  }
  // Quarterly: US nonfarm employment, quarter means.
  const quarters = groupBy(
    csv('us-employment.csv').slice(1),
    (r) => `${r[0]!.slice(0, 4)}-${String(Math.floor((Number(r[0]!.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}`,
  );
  series.push(
    regular(
      'us nonfarm employment (quarterly)',
      'quarterly',
      4,
      [...quarters].map(([q, rows]) => [q, rows.reduce((s, r) => s + Number(r[1]), 0) / rows.length]),
    ),
  );
  return series;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Holds out the last horizon; scores the automatic choice and seasonal naive on it. */
function evaluate(s: RealSeries): string {
  const train = s.values.slice(0, -s.horizon);
  const test = s.values.slice(-s.horizon);
  const score = (candidates?: readonly ModelName[]) => {
    const f = forecastSeries({ start: s.start, frequency: s.frequency, values: train }, { horizon: s.horizon, ...(candidates && { candidates }) })!;
    const mean = f.points.map((p) => p.mean);
    const bound = (key: 'lo80' | 'hi80' | 'lo95' | 'hi95'): number[] => f.points.map((p) => p[key] as number);
    const scale = maseScale(prepareSeries(train, SEASONAL_PERIODS[s.frequency]).values, Math.round(SEASONAL_PERIODS[s.frequency][0]!));
    const mae = meanAbsoluteError(test, mean);
    return {
      model: f.model,
      mase: mae !== null && scale ? mae / scale : null,
      c80: intervalCoverage(test, bound('lo80'), bound('hi80')),
      c95: intervalCoverage(test, bound('lo95'), bound('hi95')),
    };
  };
  const auto = score();
  const naive = score(['seasonal-naive']);
  const n = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  return `| ${s.name} | ${train.length} | ${s.horizon} | ${auto.model} | ${n(auto.mase)} | ${n(auto.c80)} | ${n(auto.c95)} | ${n(naive.mase)} | ${n(naive.c80)} | ${n(naive.c95)} |`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function speed(): string[] {
  const days = 3 * 365;
  const horizon = 28;
  const rng = createRng('bench');
  const isSunday = (date: string): boolean => new Date(`${date}T00:00Z`).getUTCDay() === 0;
  // Day 0 is Monday 2023-01-02, as syntheticDailyLeads assumes.
  const practices = Array.from({ length: 1000 }, () => syntheticDailyLeads(rng, days, 1 + 39 * rng.next() ** 2));
  const closed = Array.from({ length: days }, (_, t) => isSunday(formatTimestamp(addSteps(Date.UTC(2023, 0, 2), 'daily', t), false)));

  for (const values of practices.slice(0, 50)) forecastSeries({ start: '2023-01-02', frequency: 'daily', values }, { horizon, closed: isSunday }); // JIT warm-up
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  const chosen = new Map<string, number>();
  const begin = performance.now();
  for (const values of practices) {
    const t0 = performance.now();
    const f = forecastSeries({ start: '2023-01-02', frequency: 'daily', values }, { horizon, closed: isSunday })!;
    times.push(performance.now() - t0);
    chosen.set(f.model, (chosen.get(f.model) ?? 0) + 1);
  }
  const total = (performance.now() - begin) / 1000;
  const heapAfter = process.memoryUsage().heapUsed;

  const perModel = (Object.keys(MODELS) as ModelName[]).map((name) => {
    const backtests: number[] = [];
    const fits: number[] = [];
    for (const values of practices.slice(0, 200)) {
      const series = prepareSeries(values, SEASONAL_PERIODS.daily, closed);
      const plan = planBacktest(days, horizon, SEASONAL_PERIODS.daily)!;
      if (!MODELS[name].applicable(series, plan.origins[0]!)) continue;
      const t0 = performance.now();
      backtest(series, MODELS[name], plan);
      const t1 = performance.now();
      MODELS[name].fit(series, days).forecast(horizon);
      fits.push(performance.now() - t1);
      backtests.push(t1 - t0);
    }
    return fits.length === 0
      ? `| ${name} | not applicable (zeros in the history) | |`
      : `| ${name} | ${median(fits).toFixed(2)} | ${median(backtests).toFixed(2)} (${fits.length} series) |`;
  });
  return [
    `Synthetic: 1,000 practices, 3 years of daily leads (1-40 per open day, weekly + yearly seasonality, trend, Poisson noise, closed Sundays), horizon ${horizon}, automatic choice over all candidates (3 backtest origins).`,
    '',
    `- median per series: ${median(times).toFixed(1)} ms (p90 ${[...times].sort((a, b) => a - b)[900]!.toFixed(1)} ms)`,
    `- 1,000 series: ${total.toFixed(1)} s`,
    `- heap growth over the 1,000 forecasts: ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB; peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    `- chosen: ${[...chosen].map(([m, c]) => `${m} ${c}`).join(', ')}`,
    '',
    '| candidate | final fit + forecast, median ms | rolling-origin backtest (3 origins), median ms |',
    '| --- | --- | --- |',
    ...perModel,
  ];
}

// BENCH_ONLY=nightly prints the nightly-run section alone (BENCH_PRACTICES=n for a smaller run),
// BENCH_ONLY=speed the three-years-of-daily-data speed section alone.
const only = process.env.BENCH_ONLY;
if (only === undefined) {
  console.log('## Accuracy on real series (last horizon held out)\n');
  console.log('| series | train | horizon | chosen | MASE | cov80 | cov95 | seasonal naive MASE | cov80 | cov95 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of realSeries()) console.log(evaluate(s));
}
if (only === undefined || only === 'speed') {
  console.log('\n## Speed\n');
  for (const line of speed()) console.log(line);
}
if (only === undefined || only === 'nightly') {
  console.log('\n## Nightly run: every series of 1,000 practices\n');
  for (const line of await nightlyRun()) console.log(line);
}

/**
 * The server's nightly job at practice-group scale: for each of 1,000 synthetic practices (about
 * two years and a month of daily history), what the forecast store computes once per practice-day
 * (forecastPractice): new-patient leads in total (with the monthly-totals backtest) and per
 * channel (4) to the end of the 24th month, inbound calls 28 days ahead then spread over the hours
 * of the week, and the revenue projection, on a ForecastPool of os.availableParallelism() workers.
 */
async function nightlyRun(): Promise<string[]> {
  const practices = Number(process.env.BENCH_PRACTICES ?? 1000);
  const days = 2 * 365 + 35;
  const start = '2023-01-02';
  const rng = createRng('nightly');
  const horizon = 731;
  const closedDates: string[] = [];
  for (let t = 0; t < days + horizon; t++) {
    const date = formatTimestamp(addSteps(Date.UTC(2023, 0, 2), 'daily', t), false);
    if (new Date(`${date}T00:00Z`).getUTCDay() === 0) closedDates.push(date);
  }
  const channelNames = ['phone', 'web_form', 'referral', 'social'];
  const inputs: PracticeForecastInput[] = Array.from({ length: practices }, (_, i) => {
    const total = syntheticDailyLeads(rng, days, 1 + 39 * rng.next() ** 2);
    // Split each day's leads over the channels (phone 45%, web 30%, referral 15%, social 10%).
    const channels = channelNames.map((name) => ({ name, values: new Array<number>(days).fill(0) }));
    total.forEach((count, t) => {
      let left = count;
      [0.45, 0.3 / 0.55, 0.15 / 0.25, 1].forEach((share, c) => {
        const n = c === 3 ? left : sampleBinomial(rng, left, share);
        channels[c]!.values[t] = n;
        left -= n;
      });
    });
    const calls = syntheticDailyLeads(rng, days, 5 + 60 * rng.next());
    return {
      start,
      total,
      channels,
      calls: { start, values: calls, horizon: 28 },
      horizon,
      closedDates,
      seed: `practice-${i}`,
      revenue: {
        history: channels.map((c) => ({ channel: c.name, leads: 400, booked: 120 + 10 * channelNames.indexOf(c.name), bookedValues: [900, 1500, 2400] })),
      },
    };
  });
  // A 12-week hour-of-week call profile per practice: opening hours 8-18, busier mornings.
  const hourly = Array.from({ length: 84 }, (_, d) =>
    Array.from({ length: 10 }, (_, h) => ({ date: formatTimestamp(addSteps(Date.UTC(2024, 8, 2), 'daily', d), false), hour: 8 + h, count: 10 - h })),
  ).flat();
  const pool = new ForecastPool();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const begin = performance.now();
  let done = 0;
  const failures: string[] = [];
  let series = 0;
  let hoursOfWeek = 0;
  let backtested = 0;
  const models = new Map<string, number>();
  await Promise.all(
    inputs.map(async (input) => {
      const result = await pool.run(input).catch((error: Error) => {
        failures.push(error.message);
        return null;
      });
      if (++done % 100 === 0) process.stderr.write(`${done} practices, ${((performance.now() - begin) / 1000).toFixed(0)} s\n`);
      if (!result) return;
      series += (result.total ? 1 : 0) + result.channels.length + (result.calls ? 1 : 0);
      if (result.total?.monthlyBacktest) backtested++;
      // A combination counts by its members, whatever their order.
      for (const s of [result.total, ...result.channels]) {
        if (!s) continue;
        const name = s.model.replace(/^combination\((.+)\)$/, (_, members: string) => `combination(${members.split('+').sort().join('+')})`);
        models.set(name, (models.get(name) ?? 0) + 1);
      }
      // Calls by hour of week, as the staffing page builds them from the daily call forecast.
      if (result.calls) hoursOfWeek += expectedArrivalsByHour(result.calls.points.slice(0, 7), hourOfWeekProfile(hourly)).length;
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  // CPU time of every thread of the process: on a machine shared with other work, CPU / threads is
  // what the run would take with the cores to itself.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rss = process.memoryUsage().rss;
  await pool.close();
  return [
    `${practices.toLocaleString('en-US')} practices x (leads total + ${channelNames.length} channels to ${horizon} days ahead, calls 28 days ahead by hour of week, revenue projection over the channels' monthly paths, monthly-totals backtest of the total over 6 cut-offs), ${days} days of history each; ForecastPool with ${pool.threads} worker threads (os.availableParallelism() = ${availableParallelism()}).`,
    '',
    `- nightly run: ${seconds.toFixed(1)} s wall clock for ${series.toLocaleString('en-US')} daily series (${((seconds * 1000) / practices).toFixed(0)} ms per practice); ${hoursOfWeek.toLocaleString('en-US')} call hours of week; ${backtested} monthly-totals backtests`,
    `- CPU time, all threads: ${cpuSeconds.toFixed(1)} s (${((cpuSeconds * 1000) / practices).toFixed(0)} ms per practice); with ${pool.threads} cores to itself: about ${(cpuSeconds / Math.max(1, pool.threads)).toFixed(0)} s${practices === 1000 ? '' : `, ${((cpuSeconds / Math.max(1, pool.threads)) * (1000 / practices)).toFixed(0)} s for 1,000 practices at this rate`}`,
    `- failed practices: ${failures.length}${failures.length > 0 ? ` (first: ${failures[0]})` : ''}`,
    `- main thread heap growth ${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(1)} MB; RSS ${(rss / 1e6).toFixed(0)} MB`,
    `- chosen (leads series): ${[...models]
      .sort((a, b) => b[1] - a[1])
      .map(([m, c]) => `${m} ${c}`)
      .join(', ')}`,
  ];
}
