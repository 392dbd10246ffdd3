// `npm run bench:accuracy`: forecast accuracy on real public series, this engine beside R's
// forecast package in the same run. Series: vega-datasets (npm) and classic datasets shipped
// with R, exported by export-datasets.R. Each series' tail (M4 horizons: 18 months, 8 quarters,
// 13 weeks, 28 days, 48 hours, 96 half hours, 6 years) is held out; the engine forecasts from
// the rest through the CLI's batch mode (`forecast --manifest ... --json`), R through
// r-models.R. Scores: MASE (scaled by the training part's seasonal naive MAE, M4 style), sMAPE,
// share of held-out values inside the 80%/95% ranges, and ms per series.
// R is a benchmark tool only (Debian: apt-get install r-base-core r-cran-forecast). More series
// and Prophet come with the bench-only packages r-cran-surveillance r-cran-epiestim
// r-cran-modeldata r-cran-aer r-cran-ggplot2 r-cran-prophet; each missing one is skipped.
// BENCH_ENGINE_MODELS=1 adds rows for each of the engine's models alone (e.g. its ARIMA beside R's).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addSteps, type Frequency, formatTimestamp, hasTimeOfDay, parseTimestamp, SEASONAL_PERIODS, stepsBetween } from '../../calendar.js';
import { runForecastingCli } from '../../cli.js';
import { parseCsv } from '../../csv.js';
import { DEFAULT_CANDIDATES, forecastSeries } from '../../forecast-series.js';
import { maseScale, meanAbsoluteError, smape } from '../../metrics.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.env.BENCH_ACCURACY_DIR ?? join(here, '..', '..', '..', 'scratch', 'bench-accuracy'));
const vega = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

interface Series {
  name: string;
  frequency: Frequency;
  /** Seasonal periods as the manifest takes them, e.g. `7;365.25` (`1` for none). */
  periods: string;
  horizon: number;
  dates: string[];
  values: number[];
  source: string;
}

const HORIZON: Record<Frequency, number> = {
  'quarter-hourly': 192,
  'half-hourly': 96,
  hourly: 48,
  daily: 28,
  weekly: 13,
  monthly: 18,
  quarterly: 8,
  yearly: 6,
};
const PERIODS: Record<Frequency, string> = {
  'quarter-hourly': '96;672',
  'half-hourly': '48;336',
  hourly: '24;168',
  daily: '7;365.25',
  weekly: '52',
  monthly: '12',
  quarterly: '4',
  yearly: '1',
};

/** Sums dated values onto a regular grid; steps without a row get `fill`. */
function grid(name: string, frequency: Frequency, rows: [string, number][], source: string, fill = Number.NaN, horizon = HORIZON[frequency]): Series {
  const parsed = rows.map(([d, v]) => ({ ms: parseTimestamp(d)!.ms, v })).sort((a, b) => a.ms - b.ms);
  const start = parsed[0]!.ms;
  const values: number[] = [];
  for (const { ms, v } of parsed) {
    const i = stepsBetween(start, ms, frequency)!;
    while (values.length <= i) values.push(fill);
    values[i] = (Number.isNaN(values[i]) ? 0 : (values[i] as number)) + v;
  }
  const dates = values.map((_, i) => formatTimestamp(addSteps(start, frequency, i), hasTimeOfDay(frequency)));
  return { name, frequency, periods: PERIODS[frequency], horizon, dates, values, source };
}

const tail = (s: Series, n: number, name: string): Series => ({ ...s, name, dates: s.dates.slice(-n), values: s.values.slice(-n) });
const csvRows = (file: string): Record<string, string>[] => {
  const [header, ...rows] = parseCsv(readFileSync(join(vega, file), 'utf8')).map((r) => r.fields);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
};
const mondayOf = (date: string): string => {
  const ms = parseTimestamp(date)!.ms;
  const day = (new Date(ms).getUTCDay() + 6) % 7;
  return formatTimestamp(ms - day * 86_400_000, false);
};

function vegaSeries(): Series[] {
  const series: Series[] = [];
  const seattle = csvRows('seattle-weather.csv');
  const temp = grid(
    'seattle_temp_max',
    'daily',
    seattle.map((r) => [r.date!, Number(r.temp_max)]),
    'vega-datasets: Seattle daily maximum temperature 2012-2015',
  );
  series.push(temp, tail(temp, 400, 'seattle_temp_max_13m'));
  series.push(
    grid(
      'seattle_wind',
      'daily',
      seattle.map((r) => [r.date!, Number(r.wind)]),
      'vega-datasets: Seattle daily wind 2012-2015',
    ),
  );
  const strikes = csvRows('birdstrikes.csv').map((r) => r['Flight Date']!);
  const daily = grid(
    'birdstrikes_daily',
    'daily',
    strikes.map((d) => [d, 1]),
    'vega-datasets: US bird strikes per day (sample), last 3 years',
    0,
  );
  series.push(tail(daily, 1095, 'birdstrikes_daily'), tail(daily, 70 + 14, 'birdstrikes_daily_10wk'));
  series[series.length - 1]!.horizon = 14;
  const weekly = grid(
    'birdstrikes_weekly',
    'weekly',
    strikes.map((d) => [mondayOf(d), 1]),
    'vega-datasets: US bird strikes per week (sample)',
    0,
  );
  series.push({ ...weekly, dates: weekly.dates.slice(1, -1), values: weekly.values.slice(1, -1) }); // drop partial weeks
  const employment = csvRows('us-employment.csv');
  series.push(
    grid(
      'us_nonfarm',
      'monthly',
      employment.map((r) => [r.month!, Number(r.nonfarm)]),
      'vega-datasets: US nonfarm employment 2006-2015',
    ),
  );
  const unemployment = JSON.parse(readFileSync(join(vega, 'unemployment-across-industries.json'), 'utf8')) as {
    series: string;
    year: number;
    month: number;
    count: number;
  }[];
  for (const industry of ['Construction', 'Leisure and hospitality', 'Manufacturing', 'Agriculture', 'Education and Health', 'Finance']) {
    const rows = unemployment.filter((r) => r.series === industry).map((r): [string, number] => [`${r.year}-${String(r.month).padStart(2, '0')}-01`, r.count]);
    series.push(grid(`unemployed_${industry.split(' ')[0]!.toLowerCase()}`, 'monthly', rows, `vega-datasets: US unemployed in ${industry} 2000-2010`));
  }
  const github = csvRows('github.csv').map((r): [string, number] => [r.time!.replace(/\//g, '-').slice(0, 16).replace(' ', 'T'), Number(r.count)]);
  series.push(grid('github_hourly', 'hourly', github, 'vega-datasets: GitHub commits per hour 2015', 0));
  const hourly = csvRows('seattle-weather-hourly-normals.csv').map((r): [string, number] => [r.date!.slice(0, 16), Number(r.temperature)]);
  series.push(
    tail(grid('seattle_hourly_temp', 'hourly', hourly, 'vega-datasets: Seattle hourly temperature normals, last 8 weeks'), 56 * 24, 'seattle_hourly_temp'),
  );
  return series;
}

/** The seasonal periods the CLI reads from a manifest row's period (see forecastFile in cli.ts). */
function enginePeriods(s: Series): number[] {
  const listed = s.periods.split(';').map(Number);
  if (listed.length > 1 || !Number.isInteger(listed[0])) return listed;
  const steps = listed[0]!;
  const defaults = SEASONAL_PERIODS[s.frequency];
  return steps <= 1 ? [] : defaults.some((p) => Math.round(p) === steps) ? [...defaults] : [steps];
}

function rSeries(dir: string): Series[] {
  const meta = parseCsv(readFileSync(join(dir, 'r-series.csv'), 'utf8'))
    .slice(1)
    .map((r) => r.fields);
  return meta.map(([name, frequency, periods, horizon, source]) => {
    const rows = parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'))
      .slice(1)
      .map((r) => r.fields);
    return {
      name: name!,
      frequency: frequency as Frequency,
      periods: periods!,
      horizon: Number(horizon),
      dates: rows.map((r) => r[0]!),
      values: rows.map((r) => (r[1] === '' ? Number.NaN : Number(r[1]))),
      source: source!,
    };
  });
}

interface Scored {
  mase: number;
  smape: number;
  inside80: number;
  inside95: number;
  count: number;
  ms: number | null;
}

function score(
  train: number[],
  test: number[],
  m: number,
  f: { mean: number[]; lo80: number[]; hi80: number[]; lo95: number[]; hi95: number[] },
): Omit<Scored, 'ms'> {
  const scale = maseScale(train, train.length > m ? m : 1) ?? Number.NaN;
  let inside80 = 0;
  let inside95 = 0;
  let count = 0;
  test.forEach((y, i) => {
    if (Number.isNaN(y)) return;
    count++;
    if (y >= f.lo80[i]! && y <= f.hi80[i]!) inside80++;
    if (y >= f.lo95[i]! && y <= f.hi95[i]!) inside95++;
  });
  return { mase: meanAbsoluteError(test, f.mean)! / scale, smape: smape(test, f.mean)!, inside80, inside95, count };
}

/** Passes on the R scripts' notes about bench-only R packages that are not installed. */
function printSkipped(stderr: string): void {
  for (const line of stderr.split('\n')) if (line.includes('not installed')) console.log(line);
}

const hasR = spawnSync('Rscript', ['--version']).status === 0;
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'train'), { recursive: true });
let all = vegaSeries();
if (hasR) {
  const exported = spawnSync('Rscript', [join(here, 'export-datasets.R'), join(out, 'r-data')], { encoding: 'utf8' });
  if (exported.status !== 0) throw new Error(`export-datasets.R failed: ${exported.stderr}`);
  printSkipped(exported.stderr);
  all = [...rSeries(join(out, 'r-data')), ...all];
} else {
  console.log('Rscript NOT FOUND: the R datasets and the R models are skipped (install: apt-get install -y r-base-core r-cran-forecast).');
}
const only = process.env.BENCH_ONLY?.split(',');
if (only) all = all.filter((s) => only.includes(s.name));

const manifest = ['input,period,horizon'];
const rManifest = ['name,input,periods,horizon'];
for (const s of all) {
  const cut = s.values.length - s.horizon;
  const file = join('train', `${s.name}.csv`);
  writeFileSync(
    join(out, file),
    ['date,value', ...s.dates.slice(0, cut).map((d, i) => `${d},${Number.isNaN(s.values[i]!) ? '' : s.values[i]}`)].join('\n') + '\n',
  );
  manifest.push(`${file},"${s.periods.replace(/;/g, ',')}",${s.horizon}`);
}
// R runs the short series first, so that a time limit (BENCH_R_TIMEOUT_S) cuts the slow ones.
for (const s of [...all].sort((a, b) => a.values.length - b.values.length))
  rManifest.push(`${s.name},${join(out, 'train', `${s.name}.csv`)},${s.periods},${s.horizon}`);
writeFileSync(join(out, 'manifest.csv'), manifest.join('\n') + '\n');
writeFileSync(join(out, 'r-manifest.csv'), rManifest.join('\n') + '\n');

const results = new Map<string, Map<string, Scored>>(); // method -> series -> score
const record = (method: string, name: string, scored: Scored): void => {
  if (!results.has(method)) results.set(method, new Map());
  results.get(method)!.set(name, scored);
};

const started = performance.now();
const engine = await runForecastingCli(['forecast', '--manifest', join(out, 'manifest.csv'), '--json']);
const engineSeconds = (performance.now() - started) / 1000;
const chosen = new Map<string, string>();
// The engine's forecasts beside the held-out values, for a closer look at any series.
const engineDump: string[] = [];
engine.output.forEach((line, i) => {
  const s = all[i]!;
  const result = JSON.parse(line) as { model?: string; error?: string; elapsedMs: number; points?: Record<string, number>[] };
  if (!result.points) {
    console.log(`engine error on ${s.name}: ${result.error}`);
    return;
  }
  const cut = s.values.length - s.horizon;
  const pick = (k: string): number[] => result.points!.map((p) => p[k]!);
  const m = Math.round(Number(s.periods.split(';')[0]));
  record('engine', s.name, {
    ...score(s.values.slice(0, cut), s.values.slice(cut), m, {
      mean: pick('mean'),
      lo80: pick('lo80'),
      hi80: pick('hi80'),
      lo95: pick('lo95'),
      hi95: pick('hi95'),
    }),
    ms: result.elapsedMs,
  });
  chosen.set(s.name, result.model!);
  engineDump.push(JSON.stringify({ name: s.name, frequency: s.frequency, model: result.model, actual: s.values.slice(cut), points: result.points }));
});
writeFileSync(join(out, 'engine-forecasts.jsonl'), engineDump.join('\n') + '\n');

// BENCH_ENGINE_MODELS=1: each of the engine's candidates alone as well (the automatic choice over
// that one model: its backtest still calibrates the ranges), each beside its R counterpart.
if (process.env.BENCH_ENGINE_MODELS === '1') {
  for (const model of DEFAULT_CANDIDATES) {
    for (const s of all) {
      const cut = s.values.length - s.horizon;
      const m = Math.round(Number(s.periods.split(';')[0]));
      const t0 = performance.now();
      const f = forecastSeries(
        { start: s.dates[0]!, frequency: s.frequency, values: s.values.slice(0, cut) },
        { horizon: s.horizon, candidates: [model], seasonalPeriods: enginePeriods(s) },
      );
      const ms = performance.now() - t0;
      if (!f) continue;
      const pick = (k: 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'): number[] => f.points.map((p) => p[k] as number);
      const bounds = { mean: pick('mean'), lo80: pick('lo80'), hi80: pick('hi80'), lo95: pick('lo95'), hi95: pick('hi95') };
      record(`engine: ${model} alone`, s.name, { ...score(s.values.slice(0, cut), s.values.slice(cut), m, bounds), ms });
    }
  }
}

let rSeconds = 0;
const rMsByModel = new Map<string, number>(); // fit + forecast time summed over the series, per R model
// BENCH_R_FORECASTS=FILE scores R's forecasts saved by an earlier run (its r-forecasts.jsonl, kept
// outside the output folder) instead of running R again: R's side depends only on the data, and
// takes ~25 min, so engine changes can be compared against it in seconds.
const savedR = process.env.BENCH_R_FORECASTS;
let rForecastsFile = join(out, 'r-forecasts.jsonl');
if (savedR) {
  rForecastsFile = resolve(savedR);
  console.log(`R forecasts read from ${savedR} (saved by an earlier run), not computed in this run.`);
} else if (hasR && process.env.BENCH_SKIP_R !== '1') {
  const t0 = performance.now();
  const timeout = Number(process.env.BENCH_R_TIMEOUT_S ?? 0) * 1000 || undefined;
  const run = spawnSync('Rscript', [join(here, 'r-models.R'), join(out, 'r-manifest.csv'), join(out, 'r-forecasts.jsonl')], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout,
    killSignal: 'SIGKILL',
  });
  rSeconds = (performance.now() - t0) / 1000;
  if (run.signal) console.log(`r-models.R stopped after ${Math.round(rSeconds)} s (BENCH_R_TIMEOUT_S): R rows cover only the series it finished.`);
  else if (run.status !== 0) console.log(`r-models.R failed: ${run.stderr}`);
  printSkipped(run.stderr ?? '');
}
if (savedR || (hasR && process.env.BENCH_SKIP_R !== '1')) {
  const byName = new Map(all.map((s) => [s.name, s]));
  const combMs = new Map<string, number>();
  for (const line of readFileSync(rForecastsFile, 'utf8').split('\n').filter(Boolean)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // the last line of a stopped run can be cut short
    }
    const f = parsed as { name: string; model: string; ms: number | null; mean: number[]; lo80: number[]; hi80: number[]; lo95: number[]; hi95: number[] };
    const s = byName.get(f.name);
    if (!s || f.mean.length !== s.horizon) continue; // a saved file can hold series this run left out
    const cut = s.values.length - s.horizon;
    const m = Math.round(Number(s.periods.split(';')[0]));
    if (['ets', 'auto.arima', 'stlf'].includes(f.model)) combMs.set(f.name, (combMs.get(f.name) ?? 0) + (f.ms ?? 0));
    const ms = f.model.startsWith('comb') ? (combMs.get(f.name) ?? null) : f.ms;
    if (f.ms !== null) rMsByModel.set(f.model, (rMsByModel.get(f.model) ?? 0) + f.ms);
    record(f.model === 'prophet' ? 'Prophet' : `R ${f.model}`, f.name, { ...score(s.values.slice(0, cut), s.values.slice(cut), m, f), ms });
  }
}

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const methods = [...results.keys()];
const summary = (names: string[]): string[] =>
  methods.map((method) => {
    const rows = names.map((n) => results.get(method)!.get(n)).filter((r): r is Scored => r !== undefined);
    const values = rows.length;
    const count = rows.reduce((s, r) => s + r.count, 0);
    const mase = rows.reduce((s, r) => s + r.mase, 0) / values;
    const sm = rows.reduce((s, r) => s + r.smape, 0) / values;
    const ms = rows.map((r) => r.ms).filter((x): x is number => x !== null);
    return `| ${method} | ${values}/${names.length} | ${fmt(mase)} | ${fmt(sm, 1)} | ${fmt(rows.reduce((s, r) => s + r.inside80, 0) / count, 2)} | ${fmt(rows.reduce((s, r) => s + r.inside95, 0) / count, 2)} | ${fmt(median(ms), 1)} |`;
  });

// The engine again on exactly the series R's ets finished, for a like-for-like row.
const rDone = results.get('R ets');
if (rDone && rDone.size < all.length) {
  const subset = new Map([...results.get('engine')!].filter(([name]) => rDone.has(name)));
  results.set(`engine (the ${subset.size} series R finished)`, subset);
  methods.splice(1, 0, `engine (the ${subset.size} series R finished)`);
}
const header = ['| method | series | mean MASE | mean sMAPE % | inside 80% | inside 95% | median ms/series |', '| --- | --- | --- | --- | --- | --- | --- |'];
console.log(
  `\n${all.length} series; engine ${engineSeconds.toFixed(1)} s in all, R ${rSeconds.toFixed(1)} s in all (tbats only where the training part has <= ${process.env.TBATS_MAX ?? 1200} values)\n`,
);
if (rMsByModel.size > 0) console.log(`R seconds by model: ${[...rMsByModel].map(([model, ms]) => `${model} ${(ms / 1000).toFixed(1)}`).join(', ')}\n`);
console.log('### All series\n');
console.log([...header, ...summary(all.map((s) => s.name))].join('\n'));
// The six 2008-09 unemployment series share one shock and weigh on the mean together.
const withoutCrisis = all.filter((s) => !s.name.startsWith('unemployed_')).map((s) => s.name);
if (withoutCrisis.length < all.length) {
  console.log(`\n### All series except the ${all.length - withoutCrisis.length} unemployment series of the 2008-09 crisis\n`);
  console.log([...header, ...summary(withoutCrisis)].join('\n'));
}
const sourceOf = (s: Series): string => s.source.split(':')[0]!;
console.log('\n### By source\n');
console.log(['| source | series | mean MASE: ' + methods.join(' / ') + ' |', '| --- | --- | --- |'].join('\n'));
for (const source of [...new Set(all.map(sourceOf))]) {
  const names = all.filter((s) => sourceOf(s) === source).map((s) => s.name);
  const means = methods.map((method) => {
    const rows = names.map((n) => results.get(method)!.get(n)).filter((r): r is Scored => r !== undefined);
    return fmt(rows.reduce((sum, r) => sum + r.mase, 0) / rows.length);
  });
  console.log(`| ${source} | ${names.length} | ${means.join(' / ')} |`);
}
for (const frequency of [...new Set(all.map((s) => s.frequency))]) {
  const names = all.filter((s) => s.frequency === frequency).map((s) => s.name);
  console.log(`\n### ${frequency} (${names.length})\n`);
  console.log([...header, ...summary(names)].join('\n'));
}
console.log('\n### Per series MASE (engine model in brackets)\n');
console.log(`| series | n train | h | ${methods.join(' | ')} | engine inside 80% / 95% |`);
console.log(`| --- | --- | --- | ${methods.map(() => '---').join(' | ')} | --- |`);
for (const s of all) {
  const cells = methods.map((method) => fmt(results.get(method)?.get(s.name)?.mase ?? Number.NaN, 2));
  const e = results.get('engine')?.get(s.name);
  const inside = e ? `${fmt(e.inside80 / e.count, 2)} / ${fmt(e.inside95 / e.count, 2)}` : '-';
  console.log(`| ${s.name} (${chosen.get(s.name) ?? '-'}) | ${s.values.length - s.horizon} | ${s.horizon} | ${cells.join(' | ')} | ${inside} |`);
}

// Where the engine trails the best other method most: the cases worth a closer look.
const behind = all
  .map((s) => {
    const engineMase = results.get('engine')?.get(s.name)?.mase ?? Number.NaN;
    const others = methods.filter((method) => !method.startsWith('engine'));
    const best = others
      .map((method) => ({ method, mase: results.get(method)?.get(s.name)?.mase ?? Number.NaN }))
      .filter((o) => Number.isFinite(o.mase))
      .sort((a, b) => a.mase - b.mase)[0];
    return { s, engineMase, best };
  })
  .filter((r) => r.best && r.engineMase > 1.25 * r.best.mase)
  .sort((a, b) => b.engineMase / b.best!.mase - a.engineMase / a.best!.mase);
if (behind.length > 0) {
  console.log('\n### Engine MASE over 1.25 x the best other method\n');
  console.log('| series | frequency | engine model | engine MASE | best other | its MASE | ratio |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const { s, engineMase, best } of behind)
    console.log(
      `| ${s.name} | ${s.frequency} | ${chosen.get(s.name) ?? '-'} | ${fmt(engineMase, 2)} | ${best!.method} | ${fmt(best!.mase, 2)} | ${fmt(engineMase / best!.mase, 2)} |`,
    );
}
