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
    const rows = Array.from({ length: 48 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${100 + 10 * Math.sin((2 * Math.PI * i) / 12) + i}`);
    const input = await file(`date,value\r\n${rows.join('\r\n')}\r\n`);
    const { exitCode, output } = await runForecastingCli(['forecast', '--input', input, '--period', 'monthly', '--horizon', '3', '--json']);
    expect(exitCode).toBe(0);
    const result = JSON.parse(output.at(-1)!);
    expect(result.points.map((p: { date: string }) => p.date)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(Object.keys(result.points[0]).sort()).toEqual(['date', 'hi80', 'hi95', 'lo80', 'lo95', 'mean']);
    expect(result.accuracy).toEqual(expect.objectContaining({ mase: expect.any(Number), coverage80: expect.any(Number), seasonalNaiveMase: expect.any(Number) }));
    expect(result.candidates).toHaveLength(4);
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
      'staffing', '--calls-per-hour', '200', '--aht-seconds', '180', '--target-seconds', '20',
      '--service-level', '0.8', '--shrinkage', '0.3', '--patience-seconds', '90', '--json',
    ]);
    expect(exitCode).toBe(0);
    const result = JSON.parse(output.at(-1)!);
    expect(result.model).toBe('erlang-a');
    expect(result.needed.agents).toBe(12);
    expect(result.needed.scheduled).toBe(18);
    expect(result.needed.abandonmentRate).toBeGreaterThan(0);
    expect((await runForecastingCli(['staffing', '--calls-per-hour', '-1', '--aht-seconds', '1', '--target-seconds', '1', '--service-level', '0.8'])).exitCode).toBe(2);
  });
});
