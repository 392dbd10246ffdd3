// A small pool of worker threads running forecastPractice, so a nightly run over many practices
// uses every core. Library-side (imports nothing from the server): the server's forecast store
// and `npm run bench:forecast` share it. Falls back to the calling thread when there is no
// runnable worker file (TypeScript sources without a loader, e.g. under jest) or `threads: 0`.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { forecastPractice, type PracticeForecast, type PracticeForecastInput } from './practice-forecast.js';

export interface ForecastPoolOptions {
  /** Worker threads; default os.availableParallelism(). 0 runs every job in the calling thread. */
  threads?: number;
}

interface Job {
  id: number;
  input: PracticeForecastInput;
  resolve: (result: PracticeForecast) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/**
 * Runs practice forecasts on up to `threads` worker threads, one job per thread at a time, in
 * the order given. Results are identical to calling forecastPractice directly (seeded). A worker
 * that dies has its job rerun in the calling thread and is not replaced. Call close() when done:
 * live workers keep the process running.
 * Cost per job: one forecastPractice, plus copying its input and result between threads.
 * A practice without history resolves to empty forecasts, as forecastPractice returns them.
 *
 * @example
 * const pool = new ForecastPool();
 * const results = await Promise.all(inputs.map((input) => pool.run(input)));
 * await pool.close();
 */
export class ForecastPool {
  readonly threads: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(options: ForecastPoolOptions = {}) {
    this.file = workerFile();
    this.threads = this.file === null ? 0 : Math.max(0, Math.floor(options.threads ?? availableParallelism()));
  }

  private readonly file: URL | null;
  private started = false;

  /** The practice's forecasts, computed on a worker (or inline when the pool has none). */
  run(input: PracticeForecastInput): Promise<PracticeForecast> {
    if (this.closed) return Promise.reject(new Error('forecast pool is closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, input, resolve, reject };
      // Workers start with the first job, so a process that never forecasts never starts them.
      if (!this.started && this.file) {
        this.started = true;
        for (let i = 0; i < this.threads; i++) this.slots.push(this.spawn(this.file));
      }
      if (this.slots.length === 0) {
        setImmediate(() => runInline(job));
        return;
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Worker threads alive now (0 before the first job, or when jobs run in the calling thread). */
  get liveWorkers(): number {
    return this.slots.length;
  }

  /** Stops the workers; jobs still queued are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('forecast pool closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private spawn(file: URL): Slot {
    // TypeScript sources (under tsx): the worker registers tsx's loader itself, since a worker
    // thread does not inherit the loader hooks of the main thread on Node 20.
    const worker = file.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(file.href)}); });`, { eval: true })
      : new Worker(file);
    const slot: Slot = { worker, job: null };
    slot.worker.on('message', (message: { id: number; result?: PracticeForecast; error?: string }) => {
      const job = slot.job;
      slot.job = null;
      if (job && job.id === message.id) {
        if (message.error !== undefined) job.reject(new Error(message.error));
        else job.resolve(message.result as PracticeForecast);
      }
      this.dispatch();
    });
    const lost = () => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      const job = slot.job;
      slot.job = null;
      if (job) setImmediate(() => runInline(job));
      if (this.slots.length === 0) for (const queued of this.queue.splice(0)) setImmediate(() => runInline(queued));
      else this.dispatch();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', () => {
      if (!this.closed) lost();
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, input: job.input });
    }
  }
}

function runInline(job: Job): void {
  try {
    job.resolve(forecastPractice(job.input));
  } catch (error) {
    job.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The worker's file beside this one: the compiled `.js`, or the `.ts` source when this process
 * runs under tsx (the worker then registers tsx's loader: `npm run bench:forecast`); null
 * otherwise (e.g. TypeScript under jest), and jobs run in the calling thread.
 */
function workerFile(): URL | null {
  const js = new URL('./forecast-pool.worker.js', import.meta.url);
  if (js.protocol === 'file:' && existsSync(fileURLToPath(js))) return js;
  const ts = new URL('./forecast-pool.worker.ts', import.meta.url);
  if (ts.protocol === 'file:' && existsSync(fileURLToPath(ts)) && process.execArgv.some((arg) => arg.includes('tsx'))) return ts;
  return null;
}
