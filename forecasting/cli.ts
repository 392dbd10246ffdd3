import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Accuracy } from './backtest.js';
import { type Frequency, FREQUENCIES, inferFrequency, parseTimestamp, stepsBetween } from './calendar.js';
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
  'forecast --input FILE.csv --period P --horizon H [--level 80,95] [--json]',
  '  FILE.csv has the header date,value; P is hourly|daily|weekly|monthly|quarterly or 24|168|7|52|12|4',
  'staffing --calls-per-hour N --aht-seconds S --target-seconds T --service-level 0.8',
  '  [--patience-seconds P] [--shrinkage 0.3] [--max-occupancy 0.85] [--agents N] [--json]',
];

/**
 * Runs `forecast` or `staffing` (argv[0]) with the remaining arguments and returns the lines
 * to print; with --json the last line is one JSON object. Exit code 0 on success, 2 on bad
 * input (the message names the file's line and column where it can). Never throws for bad input.
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
  return String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
}

const PERIOD_FREQUENCY: Readonly<Record<string, Frequency>> = { '24': 'hourly', '168': 'hourly', '7': 'daily', '365': 'daily', '52': 'weekly', '12': 'monthly', '4': 'quarterly' };

async function forecastCommand(args: string[]): Promise<string[]> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      input: { type: 'string' },
      period: { type: 'string' },
      horizon: { type: 'string' },
      level: { type: 'string', default: '80,95' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.input === undefined) throw new InputError('--input is required');
  if (values.period === undefined) throw new InputError('--period is required');
  const frequency = (FREQUENCIES as readonly string[]).includes(values.period) ? (values.period as Frequency) : PERIOD_FREQUENCY[values.period];
  if (!frequency) throw new InputError(`--period must be one of ${FREQUENCIES.join(', ')} or 24, 168, 7, 52, 12, 4; got "${values.period}"`);
  const horizon = positiveInteger(values.horizon, '--horizon');
  const levels = values.level.split(',').map((text) => {
    const level = Number(text);
    if (!(level > 0 && level < 100)) throw new InputError(`--level takes percentages between 0 and 100, got "${text}"`);
    return level;
  });
  let text: string;
  try {
    text = await readFile(values.input, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${values.input}: ${(error as Error).message}`);
  }
  const series = readSeries(text, values.input, frequency);
  const result = forecastSeries({ start: series.start, frequency, values: series.values }, { horizon, levels });
  if (!result) throw new InputError(`${values.input} has no numeric value to forecast from`);

  const json = {
    model: result.model,
    kind: result.kind,
    accuracy: result.accuracy && { ...rounded(result.accuracy), seasonalNaiveMase: round(result.accuracy.seasonalNaiveMase) },
    candidates: result.candidates.map((c) => ({ model: c.model, ...(c.accuracy ? rounded(c.accuracy) : { mase: null }) })),
    points: result.points.map((point) => Object.fromEntries(Object.entries(point).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))),
  };
  if (values.json) return [JSON.stringify(json)];
  return [
    `model: ${result.model} (chosen by rolling-origin backtest, lowest MASE)`,
    result.accuracy
      ? `backtest: MASE ${fmt(result.accuracy.mase)} (seasonal naive ${fmt(result.accuracy.seasonalNaiveMase)}), sMAPE ${fmt(result.accuracy.smape)}%, ` +
        `80% coverage ${fmt(result.accuracy.coverage80)}, 95% coverage ${fmt(result.accuracy.coverage95)}`
      : 'backtest: history too short to hold any out',
    ...table(result.points, levels),
  ];
}

/** Reads the date,value CSV into a regular series; gaps become NaN. */
function readSeries(text: string, file: string, frequency: Frequency): { start: string; values: number[] } {
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
  rows.sort((a, b) => a.ms - b.ms);
  const spacing = inferFrequency(rows.map((r) => r.ms));
  if (spacing !== null && spacing !== frequency) throw new InputError(`${file}: the dates are spaced ${spacing} but --period says ${frequency}`);
  const first = rows[0]!;
  const values: number[] = [];
  let previous: (typeof rows)[number] | undefined;
  for (const row of rows) {
    if (previous && previous.ms === row.ms) throw new InputError(`${file} lines ${previous.line} and ${row.line}: the date ${row.text} appears twice`);
    const index = stepsBetween(first.ms, row.ms, frequency);
    if (index === null) throw new InputError(`${file} line ${row.line}, column 1 (date): ${row.text} is not on the ${frequency} grid that starts at ${first.text}`);
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
