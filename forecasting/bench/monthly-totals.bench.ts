// `npm run bench:monthly`: do the monthly totals' ranges hold what they say? The growth page and
// the revenue projection show month totals whose ranges come from summed daily sample paths; this
// scores them by rolling origin (backtestMonthlyTotals: trained to the end of a month, scored on
// the next three complete months) on real daily series (vega-datasets) and on synthetic practices,
// steady or with level shifts every quarter (a campaign started or stopped). Prints per series and
// overall: months scored, share inside the 80% and 95% ranges, by months ahead. When
// `npm run bench:accuracy` has exported its R datasets (BENCH_ACCURACY_DIR, default
// scratch/bench-accuracy), three more daily series are scored apart as a check: Chicago train
// rides at two stations and MERS cases, which were not used to choose the persistence prior
// (sample-path-shape.ts).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../csv.js';
import { backtestMonthlyTotals, type MonthlyBacktestRow } from '../monthly-backtest.js';
import { createRng } from '../prng.js';
import { samplePoisson } from '../sampling.js';
import { syntheticDailyLeads } from './synthetic-practice.js';

const CUTOFFS = Number(process.env.BENCH_CUTOFFS ?? 12);
const vega = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
const rData = join(resolve(process.env.BENCH_ACCURACY_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scratch', 'bench-accuracy')), 'r-data');

interface DailySeries {
  name: string;
  start: string;
  values: number[];
}

function vegaRows(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(join(vega, file), 'utf8')).map((r) => r.fields);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

function realSeries(): DailySeries[] {
  const seattle = vegaRows('seattle-weather.csv');
  const start = seattle[0]!.date!;
  const series: DailySeries[] = ['temp_max', 'wind', 'precipitation'].map((column) => ({
    name: `seattle ${column} (2012-2015)`,
    start,
    values: seattle.map((r) => Number(r[column])),
  }));
  // Bird strikes per day over the sample's last three years (a day without a row had none).
  const days = vegaRows('birdstrikes.csv')
    .map((r) => Date.parse(`${r['Flight Date']}T00:00:00Z`))
    .filter((ms) => !Number.isNaN(ms));
  const last = Math.max(...days);
  const first = last - 1094 * 86_400_000;
  const counts = new Array<number>(1095).fill(0);
  for (const ms of days) if (ms >= first) counts[Math.round((ms - first) / 86_400_000)]!++;
  series.push({ name: 'US bird strikes per day (3 years)', start: new Date(first).toISOString().slice(0, 10), values: counts });
  return series;
}

function syntheticSeries(): DailySeries[] {
  return [0, 1, 2, 3].flatMap((k) => {
    const rng = createRng(`practice-${k}`);
    const steady = syntheticDailyLeads(rng, 760, 8 + 6 * k);
    // Every quarter the level moves by x0.7 to x1.4 and stays there.
    let level = 1;
    const shifted = steady.map((v, t) => {
      if (t > 0 && t % 90 === 0) level *= 0.7 + 0.7 * rng.next();
      return samplePoisson(rng, v * level);
    });
    return [
      { name: `synthetic practice ${k}, steady`, start: '2024-01-01', values: steady },
      { name: `synthetic practice ${k}, level shifts`, start: '2024-01-01', values: shifted },
    ];
  });
}

/** Daily series exported by the accuracy bench's export-datasets.R, when it has run (none otherwise). */
function checkSeries(): DailySeries[] {
  return ['chicago_clark_lake', 'chicago_austin', 'mers_daily'].flatMap((name) => {
    const file = join(rData, `${name}.csv`);
    if (!existsSync(file)) return [];
    const rows = parseCsv(readFileSync(file, 'utf8'))
      .slice(1)
      .map((r) => r.fields);
    return [{ name: `${name} (check)`, start: rows[0]![0]!, values: rows.map((r) => (r[1] === '' ? Number.NaN : Number(r[1]))) }];
  });
}

const inside = (row: MonthlyBacktestRow, level: 80 | 95) => row.actual >= row[`lo${level}`] && row.actual <= row[`hi${level}`];
const share = (rows: MonthlyBacktestRow[], level: 80 | 95) =>
  rows.length === 0 ? '-' : (rows.filter((r) => inside(r, level)).length / rows.length).toFixed(2);

const all: MonthlyBacktestRow[] = [];
const checks: MonthlyBacktestRow[] = [];
console.log(`Monthly totals by rolling origin: ${CUTOFFS} cut-offs, 3 months ahead each, 500 paths.\n`);
console.log('| series | months | inside 80% | inside 95% | median miss | seconds |');
console.log('| --- | --- | --- | --- | --- | --- |');
const checked = checkSeries();
for (const series of [...realSeries(), ...syntheticSeries(), ...checked]) {
  const started = performance.now();
  const result = backtestMonthlyTotals(series.start, series.values, { origins: CUTOFFS, monthsAhead: 3, seed: 1 });
  if (!result) continue;
  (checked.includes(series) ? checks : all).push(...result.rows);
  const misses = result.rows.map((r) => Math.abs(r.mean - r.actual) / Math.max(Math.abs(r.actual), 1e-9)).sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `| ${series.name} | ${result.rows.length} | ${share(result.rows, 80)} | ${share(result.rows, 95)} | ${(100 * misses[misses.length >> 1]!).toFixed(0)}% | ${seconds.toFixed(1)} |`,
  );
}
console.log('\n| months ahead | months | inside 80% | inside 95% |');
console.log('| --- | --- | --- | --- |');
for (const ahead of [1, 2, 3]) {
  const rows = all.filter((r) => r.ahead === ahead);
  console.log(`| ${ahead} | ${rows.length} | ${share(rows, 80)} | ${share(rows, 95)} |`);
}
console.log(`| all | ${all.length} | ${share(all, 80)} | ${share(all, 95)} |`);
if (checks.length > 0) console.log(`| check series (all ahead) | ${checks.length} | ${share(checks, 80)} | ${share(checks, 95)} |`);
else console.log('\n(No check series: run `npm run bench:accuracy` with R first to export them.)');
