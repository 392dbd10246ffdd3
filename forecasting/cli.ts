import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Accuracy } from './backtest.js';
import { type Frequency, FREQUENCIES, inferFrequency, parseTimestamp, SEASONAL_PERIODS, stepsBetween } from './calendar.js';
import { CsvError, parseCsv } from './csv.js';
import { forecastSeries, type ForecastPoint } from './forecast-series.js';
import { staffingWhatIf, staffNeeded, type StaffingResult } from './staffing.js';

/** What the app's CLI prints: the lines, in order, and the process exit code. */
export interface CliResult {
  exitCode: number;
  output: string[];
}

/** Bad input: exit code 2 and this message. */
class InputError extends Error {}

const USAGE = [
  'forecast --input FILE.csv --period P [--periods 48,336] --horizon H [--level 80,95] [--json]',
  '  FILE.csv has the header date,value; P is quarter-hourly|half-hourly|hourly|daily|weekly|monthly|quarterly|yearly',
  '  or whole steps per seasonal cycle (48, 96, 7, 12 ...; the spacing then comes from the dates)',
  'forecast --manifest FILE.csv [--level 80,95] --json',
  '  FILE.csv has the header input,period,horizon (paths relative to it); one JSON line per row',
  'staffing --calls-per-hour N --aht-seconds S --target-seconds T --service-level 0.8',
  '  [--patience-seconds P] [--shrinkage 0.3] [--max-occupancy 0.85] [--agents N] [--json]',
];

/**
 * Runs `forecast` or `staffing` (argv[0]) with the remaining arguments and returns the lines
 * to print; with --json the last line is one JSON object. Exit code 0 on success, 2 on bad
 * input (the message names the file's line and column where it can). Never throws for bad input.
 * Cost: that of the forecasts or staffing it runs (one forecastSeries per series).
 * No arguments give exit code 2 with "unknown command" and the usage.
 *
 * @example
 * await runForecastingCli(['staffing', '--calls-per-hour', '200', '--aht-seconds', '180',
 *   '--target-seconds', '20', '--service-level', '0.8', '--json']);
 */
export async function runForecastingCli(argv: string[]): Promise<CliResult> {
  const [command, ...args] = argv;
  try {
    if (command === 'forecast') return { exitCode: 0, output: await forecastCommand(args) };
    if (command === 'staffing') return { exitCode: 0, output: staffingCommand(args) };
    throw new InputError(`unknown command "${command ?? ''}"`);
  } catch (error) {
    const usage = error instanceof InputError || error instanceof CsvError || isParseArgsError(error);
    if (!usage) throw error;
    return { exitCode: 2, output: [`error: ${(error as Error).message}`, 'usage:', ...USAGE.map((l) => `  ${l}`)] };
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

const PERIOD_FREQUENCY: Readonly<Record<string, Frequency>> = {
  '24': 'hourly',
  '168': 'hourly',
  '7': 'daily',
  '365': 'daily',
  '52': 'weekly',
  '12': 'monthly',
  '4': 'quarterly',
  '1': 'yearly',
};

/** One series to forecast: a file, its period (a frequency name or whole steps), the horizon. */
interface ForecastRequest {
  input: string;
  period: string;
  /** Explicit seasonal periods (e.g. [48, 336]); overrides the period's defaults. */
  periods?: number[];
  horizon: number;
  levels: number[];
}

/** Parses `48,336` (or `48;336`) into positive periods; InputError naming the flag otherwise. */
function parsePeriods(text: string, flag: string): number[] {
  const periods = text.split(/[;,]/).map((part) => Number(part.trim()));
  if (periods.length === 0 || periods.some((p) => !(Number.isFinite(p) && p >= 1))) {
    throw new InputError(`${flag} takes seasonal periods in steps, numbers >= 1 separated by commas (e.g. 48,336), got "${text}"`);
  }
  return periods;
}

/**
 * Forecasts one file. `period` is a frequency name (hourly, daily ...), whole steps per cycle
 * (`48`: the frequency then comes from the dates' spacing), or several (`48,336`). Returns the
 * JSON object the CLI prints. Throws InputError for bad input.
 */
async function forecastFile(request: ForecastRequest): Promise<{ json: Record<string, unknown>; result: NonNullable<ReturnType<typeof forecastSeries>> }> {
  const { input, period, horizon, levels } = request;
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${input}: ${(error as Error).message}`);
  }
  const named = (FREQUENCIES as readonly string[]).includes(period) ? (period as Frequency) : undefined;
  let periods = request.periods;
  if (!named) {
    const numbers = parsePeriods(period, '--period');
    if (numbers.length > 1) periods ??= numbers;
    else if (!Number.isInteger(numbers[0])) periods ??= numbers;
  }
  const records = readRecords(text, input);
  const spacing = inferFrequency(records.map((r) => r.ms));
  const frequency = named ?? spacing ?? PERIOD_FREQUENCY[period];
  if (!frequency) {
    throw new InputError(`${input}: cannot tell the spacing of the dates; give --period as one of ${FREQUENCIES.join(', ')}`);
  }
  if (!named && !periods) {
    // Whole steps per cycle: the frequency's usual cycles when they start with it, else just it.
    const steps = Number(period);
    const defaults = SEASONAL_PERIODS[frequency];
    periods = steps <= 1 ? [] : defaults.some((p) => Math.round(p) === steps) ? [...defaults] : [steps];
  }
  const series = toSeries(records, input, frequency);
  const result = forecastSeries({ start: series.start, frequency, values: series.values }, { horizon, levels, ...(periods && { seasonalPeriods: periods }) });
  if (!result) throw new InputError(`${input} has no numeric value to forecast from`);
  const json = {
    model: result.model,
    longRangeModel: result.longRangeModel,
    kind: result.kind,
    patterns: result.patterns,
    seasonalPeriodsUsed: result.seasonalPeriodsUsed,
    accuracy: result.accuracy && { ...rounded(result.accuracy), seasonalNaiveMase: round(result.accuracy.seasonalNaiveMase) },
    candidates: result.candidates.map((c) => ({ model: c.model, ...(c.accuracy ? rounded(c.accuracy) : { mase: null }) })),
    points: result.points.map((point) => Object.fromEntries(Object.entries(point).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))),
  };
  return { json, result };
}

function parseLevels(text: string): number[] {
  return text.split(',').map((part) => {
    const level = Number(part);
    if (!(level > 0 && level < 100)) throw new InputError(`--level takes percentages between 0 and 100, got "${part}"`);
    return level;
  });
}

async function forecastCommand(args: string[]): Promise<string[]> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      input: { type: 'string' },
      manifest: { type: 'string' },
      period: { type: 'string' },
      periods: { type: 'string' },
      horizon: { type: 'string' },
      level: { type: 'string', default: '80,95' },
      json: { type: 'boolean', default: false },
    },
  });
  const levels = parseLevels(values.level);
  if (values.manifest !== undefined) return manifestCommand(values.manifest, levels);
  if (values.input === undefined) throw new InputError('--input (or --manifest) is required');
  if (values.period === undefined && values.periods === undefined) throw new InputError('--period is required');
  const periods = values.periods === undefined ? undefined : parsePeriods(values.periods, '--periods');
  const period = values.period ?? String(periods![0]);
  const horizon = positiveInteger(values.horizon, '--horizon');
  const { json, result } = await forecastFile({ input: values.input, period, horizon, levels, ...(periods && { periods }) });
  if (values.json) return [JSON.stringify(json)];
  return [
    `model: ${result.model} (chosen by rolling-origin backtest, lowest MASE)`,
    `seasonal patterns used: ${result.patterns.length > 0 ? result.patterns.join(', ') : 'none'}`,
    result.accuracy
      ? `backtest: MASE ${fmt(result.accuracy.mase)} (seasonal naive ${fmt(result.accuracy.seasonalNaiveMase)}), sMAPE ${fmt(result.accuracy.smape)}%, ` +
        `80% coverage ${fmt(result.accuracy.coverage80)}, 95% coverage ${fmt(result.accuracy.coverage95)}`
      : 'backtest: history too short to hold any out',
    ...table(result.points, levels),
  ];
}

/**
 * Batch mode: a manifest CSV with the header `input,period,horizon` (paths relative to the
 * manifest; period as for --period, several as `48;336` or quoted `"48,336"`). One JSON line per
 * row, in order: `input`, `model`, `points`, `accuracy`, `elapsedMs` (that series' own read +
 * forecast time), or `input` and `error` for a bad row, and the other rows still run.
 */
async function manifestCommand(manifest: string, levels: number[]): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${manifest}: ${(error as Error).message}`);
  }
  const records = parseCsv(text);
  const header = records[0];
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  if (!header || names.join(',') !== 'input,period,horizon') {
    throw new InputError(`${manifest} line 1: expected the header "input,period,horizon", got "${header?.fields.join(',') ?? ''}"`);
  }
  const output: string[] = [];
  for (const { line, fields } of records.slice(1)) {
    const started = performance.now();
    const input = fields[0]?.trim() ?? '';
    try {
      if (fields.length !== 3) throw new InputError(`${manifest} line ${line}: expected 3 columns (input,period,horizon), got ${fields.length}`);
      const horizon = positiveInteger(fields[2], `${manifest} line ${line}: horizon`);
      const { json } = await forecastFile({ input: resolve(dirname(manifest), input), period: (fields[1] ?? '').trim(), horizon, levels });
      output.push(JSON.stringify({ input, ...json, elapsedMs: round(performance.now() - started) }));
    } catch (error) {
      const known = error instanceof InputError || error instanceof CsvError;
      if (!known) throw error;
      output.push(JSON.stringify({ input, line, error: error.message, elapsedMs: round(performance.now() - started) }));
    }
  }
  return output;
}

interface DatedValue {
  line: number;
  ms: number;
  text: string;
  value: number;
}

/** Reads the date,value CSV's rows, sorted by date. */
function readRecords(text: string, file: string): DatedValue[] {
  const records = parseCsv(text);
  const header = records[0];
  if (!header) throw new InputError(`${file} is empty`);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  if (names.length !== 2 || names[0] !== 'date' || names[1] !== 'value') {
    throw new InputError(`${file} line ${header.line}: expected the header "date,value", got "${header.fields.join(',')}"`);
  }
  const rows = records.slice(1).map(({ line, fields }) => {
    if (fields.length !== 2) throw new InputError(`${file} line ${line}: expected 2 columns (date,value), got ${fields.length}`);
    const [dateText, valueText] = fields as [string, string];
    const date = parseTimestamp(dateText);
    if (!date) throw new InputError(`${file} line ${line}, column 1 (date): "${dateText}" is not a date (YYYY-MM-DD, YYYY-MM or YYYY-MM-DDTHH:mm)`);
    const trimmed = valueText.trim();
    const value = trimmed === '' || trimmed.toUpperCase() === 'NA' ? Number.NaN : Number(trimmed);
    if (trimmed !== '' && !Number.isFinite(value) && trimmed.toUpperCase() !== 'NA') {
      throw new InputError(`${file} line ${line}, column 2 (value): "${valueText}" is not a number (leave it empty for a missing value)`);
    }
    return { line, ms: date.ms, text: dateText.trim(), value };
  });
  if (rows.length === 0) throw new InputError(`${file} has a header but no rows`);
  return rows.sort((a, b) => a.ms - b.ms);
}

/** Puts the rows on a regular grid of the given frequency; gaps become NaN. */
function toSeries(rows: DatedValue[], file: string, frequency: Frequency): { start: string; values: number[] } {
  const spacing = inferFrequency(rows.map((r) => r.ms));
  if (spacing !== null && spacing !== frequency) throw new InputError(`${file}: the dates are spaced ${spacing} but --period says ${frequency}`);
  const first = rows[0]!;
  const values: number[] = [];
  let previous: (typeof rows)[number] | undefined;
  for (const row of rows) {
    if (previous && previous.ms === row.ms) throw new InputError(`${file} lines ${previous.line} and ${row.line}: the date ${row.text} appears twice`);
    const index = stepsBetween(first.ms, row.ms, frequency);
    if (index === null)
      throw new InputError(`${file} line ${row.line}, column 1 (date): ${row.text} is not on the ${frequency} grid that starts at ${first.text}`);
    while (values.length < index) values.push(Number.NaN);
    values.push(row.value);
    previous = row;
  }
  return { start: first.text, values };
}

function staffingCommand(args: string[]): string[] {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'calls-per-hour': { type: 'string' },
      'aht-seconds': { type: 'string' },
      'target-seconds': { type: 'string' },
      'service-level': { type: 'string' },
      'patience-seconds': { type: 'string' },
      shrinkage: { type: 'string' },
      'max-occupancy': { type: 'string' },
      agents: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const target = {
    ahtSeconds: number(values['aht-seconds'], '--aht-seconds', (x) => x > 0, 'a number of seconds > 0'),
    targetSeconds: number(values['target-seconds'], '--target-seconds', (x) => x >= 0, 'a number of seconds >= 0'),
    serviceLevel: number(values['service-level'], '--service-level', (x) => x >= 0 && x < 1, 'a share in [0, 1), e.g. 0.8'),
    ...(values['patience-seconds'] !== undefined && {
      patienceSeconds: number(values['patience-seconds'], '--patience-seconds', (x) => x > 0, 'a number of seconds > 0'),
    }),
    shrinkage: values.shrinkage === undefined ? 0 : number(values.shrinkage, '--shrinkage', (x) => x >= 0 && x < 1, 'a share in [0, 1), e.g. 0.3'),
    maxOccupancy: values['max-occupancy'] === undefined ? 1 : number(values['max-occupancy'], '--max-occupancy', (x) => x > 0 && x <= 1, 'a share in (0, 1]'),
  };
  const calls = number(values['calls-per-hour'], '--calls-per-hour', (x) => x >= 0, 'a number >= 0');
  const needed = staffNeeded(calls, target);
  const whatIf = values.agents === undefined ? undefined : staffingWhatIf(calls, nonNegativeInteger(values.agents, '--agents'), target);
  const model = target.patienceSeconds === undefined ? 'erlang-c' : 'erlang-a';
  if (values.json) {
    return [JSON.stringify({ model, needed: staffingJson(needed), ...(whatIf && { whatIf: staffingJson(whatIf) }) })];
  }
  return [
    `model: ${model === 'erlang-c' ? 'Erlang C (callers wait)' : `Erlang A (mean patience ${target.patienceSeconds} s)`}, load ${fmt(needed.metrics.load)} Erlangs`,
    `staff needed: ${needed.agents} on the phones, ${needed.scheduled} scheduled (shrinkage ${target.shrinkage})`,
    ...describe(needed),
    ...(whatIf ? [`with ${whatIf.agents} on the phones:`, ...describe(whatIf)] : []),
  ];
}

function describe(result: StaffingResult): string[] {
  const m = result.metrics;
  return [
    `  service level ${fmt(m.serviceLevel)}, waiting probability ${fmt(m.waitingProbability)}, ASA ${fmt(m.averageSpeedOfAnswer)} s, occupancy ${fmt(m.occupancy)}`,
    `  abandonment ${fmt(m.abandonmentRate)} (${fmt(result.missedCallsPerHour)} missed calls/hour)`,
  ];
}

function staffingJson(result: StaffingResult): object {
  const m = result.metrics;
  return {
    agents: result.agents,
    scheduled: result.scheduled,
    load: round(m.load),
    serviceLevel: round(m.serviceLevel),
    waitingProbability: round(m.waitingProbability),
    averageSpeedOfAnswerSeconds: Number.isFinite(m.averageSpeedOfAnswer) ? round(m.averageSpeedOfAnswer) : null,
    occupancy: round(m.occupancy),
    abandonmentRate: round(m.abandonmentRate),
    missedCallsPerHour: round(result.missedCallsPerHour),
  };
}

function table(points: readonly ForecastPoint[], levels: readonly number[]): string[] {
  const header = ['date', 'mean', ...levels.flatMap((l) => [`lo${l}`, `hi${l}`])];
  const rows = points.map((p) => [p.date, fmt(p.mean), ...levels.flatMap((l) => [fmt(p[`lo${l}`]), fmt(p[`hi${l}`])])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  return [line(header), ...rows.map(line)];
}

function rounded(accuracy: Accuracy): Record<keyof Accuracy, number | null> {
  return {
    mase: round(accuracy.mase),
    mae: round(accuracy.mae),
    smape: round(accuracy.smape),
    coverage80: round(accuracy.coverage80),
    coverage95: round(accuracy.coverage95),
  };
}

function round(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10_000) / 10_000;
}

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : String(value);
}

function number(text: string | undefined, flag: string, valid: (x: number) => boolean, expected: string): number {
  if (text === undefined) throw new InputError(`${flag} is required`);
  const value = Number(text);
  if (text.trim() === '' || !valid(value)) throw new InputError(`${flag} must be ${expected}, got "${text}"`);
  return value;
}

function positiveInteger(text: string | undefined, flag: string): number {
  return number(text, flag, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
}

function nonNegativeInteger(text: string, flag: string): number {
  return number(text, flag, (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0');
}
