import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runForecastingCli } from './cli.js';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('parses quotes, escaped quotes, embedded newlines, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffdate,value\r\n"2026-01-01",3\r\n\r\n"a ""q"", b","x\ny"\n""\n')).toEqual([
      { line: 1, fields: ['date', 'value'] },
      { line: 2, fields: ['2026-01-01', '3'] },
      { line: 4, fields: ['a "q", b', 'x\ny'] },
      { line: 6, fields: [''] },
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('names line and column of malformed quoting', () => {
    expect(() => parseCsv('a,"b\nc')).toThrow('line 1, column 3: quoted field is not closed');
    expect(() => parseCsv('a\n"b"c')).toThrow('line 2, column 4: unexpected text after a closing quote');
  });
});

describe('runForecastingCli', () => {
  const file = async (text: string): Promise<string> => {
    const path = join(await mkdtemp(join(tmpdir(), 'forecast-')), 'series.csv');
    await writeFile(path, text);
    return path;
  };

  it('forecasts a monthly CSV and prints JSON last', async () => {
    const rows = Array.from(
      { length: 48 },
      (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${100 + 10 * Math.sin((2 * Math.PI * i) / 12) + i}`,
    );
    const input = await file(`date,value\r\n${rows.join('\r\n')}\r\n`);
    const { exitCode, output } = await runForecastingCli(['forecast', '--input', input, '--period', 'monthly', '--horizon', '3', '--json']);
    expect(exitCode).toBe(0);
    const result = JSON.parse(output.at(-1)!);
    expect(result.points.map((p: { date: string }) => p.date)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(Object.keys(result.points[0]).sort()).toEqual(['date', 'hi80', 'hi95', 'lo80', 'lo95', 'mean']);
    expect(result.accuracy).toEqual(
      expect.objectContaining({ mase: expect.any(Number), coverage80: expect.any(Number), seasonalNaiveMase: expect.any(Number) }),
    );
    expect(result.candidates.map((c: { model: string }) => c.model)).toEqual(['seasonal-naive', 'theta', 'ets', 'stl', 'regression', 'arima']);
  });

  it('takes any whole period and several (--period 48, --periods 48,336) on half-hourly data', async () => {
    const start = Date.UTC(2026, 0, 5);
    const rows = Array.from(
      { length: 48 * 21 },
      (_, i) =>
        `${new Date(start + i * 1_800_000).toISOString().slice(0, 16)},${Math.round(200 + 80 * Math.sin((2 * Math.PI * i) / 48) + 10 * ((i * 7919) % 13))}`,
    );
    const input = await file(`date,value\n${rows.join('\n')}\n`);
    const one = await runForecastingCli(['forecast', '--input', input, '--period', '48', '--horizon', '3', '--json']);
    expect(one.exitCode).toBe(0);
    const result = JSON.parse(one.output.at(-1)!);
    expect(result.points.map((p: { date: string }) => p.date)).toEqual(['2026-01-26T00:00', '2026-01-26T00:30', '2026-01-26T01:00']);
    expect(result.patterns).toEqual(expect.arrayContaining(['daily']));
    const two = await runForecastingCli(['forecast', '--input', input, '--periods', '48,336', '--horizon', '2', '--json']);
    expect(two.exitCode).toBe(0);
    const named = await runForecastingCli(['forecast', '--input', input, '--period', 'half-hourly', '--horizon', '2', '--json']);
    expect(named.exitCode).toBe(0);
    expect((await runForecastingCli(['forecast', '--input', input, '--periods', '48,x', '--horizon', '2'])).output[0]).toContain('--periods');
  });

  it('runs a manifest: one JSON line per row in order, a bad row is an error line and the rest still run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
    const monthly = Array.from({ length: 40 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${50 + (i % 12) + i}`);
    await writeFile(join(dir, 'a.csv'), `date,value\n${monthly.join('\n')}\n`);
    await writeFile(join(dir, 'bad.csv'), 'date,value\n2026-01-01,oops\n');
    await writeFile(join(dir, 'manifest.csv'), 'input,period,horizon\na.csv,12,4\nbad.csv,daily,3\nmissing.csv,daily,3\na.csv,monthly,0\na.csv,monthly,2\n');
    const { exitCode, output } = await runForecastingCli(['forecast', '--manifest', join(dir, 'manifest.csv'), '--json']);
    expect(exitCode).toBe(0);
    const lines = output.map((line) => JSON.parse(line));
    expect(lines.map((l) => l.input)).toEqual(['a.csv', 'bad.csv', 'missing.csv', 'a.csv', 'a.csv']);
    expect(lines[0].points).toHaveLength(4);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(['input', 'model', 'points', 'accuracy', 'elapsedMs']));
    expect(lines[0].elapsedMs).toBeGreaterThan(0);
    expect(lines[1].error).toContain('line 2, column 2');
    expect(lines[2].error).toContain('cannot read');
    expect(lines[3].error).toContain('horizon');
    // The same series asked for 2 steps gets the first 2 of the 4-step forecast.
    expect(lines[4].points).toEqual(lines[0].points.slice(0, 2));
    const header = join(dir, 'm2.csv');
    await writeFile(header, 'file,period,horizon\n');
    expect((await runForecastingCli(['forecast', '--manifest', header, '--json'])).exitCode).toBe(2);
  });

  it('rejects bad input with exit code 2 naming line and column', async () => {
    const bad = await file('date,value\n2026-01-01,3\n2026-01-02,abc\n');
    const result = await runForecastingCli(['forecast', '--input', bad, '--period', 'daily', '--horizon', '2']);
    expect(result.exitCode).toBe(2);
    expect(result.output[0]).toContain('line 3, column 2');
    const header = await file('day,count\n2026-01-01,3\n');
    expect((await runForecastingCli(['forecast', '--input', header, '--period', 'daily', '--horizon', '2'])).output[0]).toContain('header');
    const spacing = await file('date,value\n2026-01-01,3\n2026-02-01,4\n2026-03-01,4\n');
    expect((await runForecastingCli(['forecast', '--input', spacing, '--period', 'daily', '--horizon', '2'])).output[0]).toContain('spaced monthly');
    expect((await runForecastingCli(['forecast', '--nope'])).exitCode).toBe(2);
    expect((await runForecastingCli(['bogus'])).exitCode).toBe(2);
  });

  it('computes staffing', async () => {
    const { exitCode, output } = await runForecastingCli([
      'staffing',
      '--calls-per-hour',
      '200',
      '--aht-seconds',
      '180',
      '--target-seconds',
      '20',
      '--service-level',
      '0.8',
      '--shrinkage',
      '0.3',
      '--patience-seconds',
      '90',
      '--json',
    ]);
    expect(exitCode).toBe(0);
    const result = JSON.parse(output.at(-1)!);
    expect(result.model).toBe('erlang-a');
    expect(result.needed.agents).toBe(12);
    expect(result.needed.scheduled).toBe(18);
    expect(result.needed.abandonmentRate).toBeGreaterThan(0);
    expect(
      (await runForecastingCli(['staffing', '--calls-per-hour', '-1', '--aht-seconds', '1', '--target-seconds', '1', '--service-level', '0.8'])).exitCode,
    ).toBe(2);
  });
});
