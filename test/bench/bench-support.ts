// Small pieces shared by the benchmarks: clocks, percentiles, /proc readers, free ports, the open-loop
// HTTP sender, and the application's PracticesService for setting practices up.

import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PracticesService } from '../../server/practices/practices.service.js';
export { freePort } from '../support/free-port.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
/** The URL of a compiled module under dist/ (tsx cannot run the Nest code: no decorator metadata). */
export const dist = (path: string) => pathToFileURL(join(ROOT, 'dist', path)).href;

/** Runs `work` with the application's own PracticesService (compiled, from dist/, the way
 * server/cli/main.ts uses it) on the database, whose migrations it runs first; closes it after. */
export async function withPracticesService<T>(databaseUrl: string, work: (service: PracticesService) => Promise<T>): Promise<T> {
  await import('reflect-metadata');
  const { NestFactory } = await import('@nestjs/core');
  const { Module } = await import('@nestjs/common');
  const { DatabaseModule } = await import(dist('server/database/database.module.js'));
  const { PracticesModule } = await import(dist('server/practices/practices.module.js'));
  const { PracticesService } = await import(dist('server/practices/practices.service.js'));
  class BenchSetupModule {}
  Module({})(BenchSetupModule);
  const context = await NestFactory.createApplicationContext(
    { module: BenchSetupModule, imports: [DatabaseModule.forRoot({ databaseUrl, dataDir: join(ROOT, 'data') }), PracticesModule] },
    { logger: ['error'] },
  );
  try {
    return await work(context.get(PracticesService));
  } finally {
    await context.close();
  }
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes of one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Nearest-rank percentile of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function fmtMs(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a';
}

// ---- /proc -------------------------------------------------------------------------------------

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86_64

/** CPU seconds (user + system) a process has used so far. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Resident set size and its peak (VmHWM), in MB. */
export function processMemoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** CPU seconds used by the processes whose command line contains `needle` (e.g. the PostgreSQL backends
 * of one database, whose title names it), sampled often so that backends which exit mid-window still
 * count: call start(), then stop() for the CPU seconds used in between. */
export function cpuSampler(needle: string, everyMs = 250): { start(): void; stop(): number } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let timer: NodeJS.Timeout | null = null;
  const sample = (initial: boolean) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        if (!last.has(pid) && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) continue;
        const cpu = processCpuSeconds(pid);
        if (Number.isNaN(cpu)) continue;
        if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
        last.set(pid, cpu);
      } catch {
        /* the process ended meanwhile */
      }
    }
  };
  return {
    start() {
      first.clear();
      last.clear();
      sample(true);
      timer = setInterval(() => sample(false), everyMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      sample(false);
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (first.get(pid) ?? 0);
      return total;
    },
  };
}

/** The machine's busy and total CPU seconds so far, all cores (from /proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

// ---- open-loop sender --------------------------------------------------------------------------

export interface SendResult {
  /** Index of the request in the schedule. */
  index: number;
  practice: number;
  /** When the schedule said to send it: latencies count from here (no coordinated omission). */
  scheduled: number;
  sent: number;
  done: number;
  /** HTTP status, or 0 for a network error or timeout. */
  status: number;
  /** For status 0: the error code (ETIMEDOUT for our timeout, ECONNRESET, ...). */
  error?: string;
}

export interface LoadPlan {
  baseUrl: string;
  rate: number;
  seconds: number;
  /** The practice (index) of request i, and the request itself. */
  request(index: number): { practice: number; path: string; headers: Record<string, string>; body: string };
  agent: http.Agent;
  timeoutMs: number;
}

/** Sends rate x seconds requests at fixed times, never waiting for answers; resolves once every request
 * has answered or timed out. */
export async function openLoop(plan: LoadPlan): Promise<SendResult[]> {
  const total = Math.round(plan.rate * plan.seconds);
  const interval = 1000 / plan.rate;
  const results: SendResult[] = [];
  const inFlight: Array<Promise<void>> = [];
  const url = new URL(plan.baseUrl);
  const start = now() + 20;
  let next = 0;

  const fire = (index: number) => {
    const { practice, path, headers, body } = plan.request(index);
    const result: SendResult = { index, practice, scheduled: start + index * interval, sent: now(), done: NaN, status: 0 };
    results.push(result);
    inFlight.push(
      new Promise<void>((resolve) => {
        const finish = (status: number, error?: string) => {
          if (!Number.isNaN(result.done)) return;
          result.done = now();
          result.status = status;
          if (error) result.error = error;
          resolve();
        };
        const request = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path,
            agent: plan.agent,
            headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (response) => {
            response.on('data', () => undefined);
            response.on('end', () => finish(response.statusCode ?? 0));
            response.on('error', () => finish(0));
          },
        );
        request.setTimeout(plan.timeoutMs, () => {
          request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
        });
        request.on('error', (error: NodeJS.ErrnoException) => finish(0, error.code ?? error.message));
        request.end(body);
      }),
    );
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = now();
      while (next < total && start + next * interval <= t) fire(next++);
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, start + next * interval - now() - 0.5)));
    };
    setTimeout(tick, 20);
  });
  await Promise.all(inFlight);
  return results.sort((a, b) => a.index - b.index);
}

/** A tiny deterministic PRNG (mulberry32), so the app run and the bare reference see the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
