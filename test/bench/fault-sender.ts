// The fault benchmarks' lead sender: open loop at a fixed rate (a lead every 1000/R ms whatever the
// answers), each lead with its own externalId; a lead that gets no 2xx (no answer, a reset, a 5xx) is
// sent again with the same externalId, to whichever server is up, until one answers 2xx. Every 2xx is
// an acknowledgement: the lead must be in the database, once. Retries back off (doubling from 250 ms,
// at most 5 s) and honour Retry-After, as the README asks of integrations.

import { now, sleep } from './bench-support.js';
import { postLead } from './server-process.js';

export interface Attempt {
  externalId: string;
  target: string;
  status: number;
  error?: string;
  retryAfter?: string;
  startedAt: number;
  ms: number;
}

export interface SenderResult {
  attempts: Attempt[];
  /** externalId -> when the first 2xx came. */
  acknowledged: Map<string, number>;
  /** Leads that never got a 2xx within the retry budget. */
  unacknowledged: string[];
}

export async function sendLeads(options: {
  rate: number;
  seconds: number;
  prefix: string;
  ingestKey: string;
  /** The servers to send to now (called for every try: a killed one is taken out by the caller). */
  targets: () => string[];
  retryDelayMs?: number;
  retryBudgetMs?: number;
}): Promise<SenderResult> {
  const attempts: Attempt[] = [];
  const acknowledged = new Map<string, number>();
  const unacknowledged: string[] = [];
  const { rate, seconds, prefix, ingestKey, targets, retryDelayMs = 250, retryBudgetMs = 60_000 } = options;
  let turn = 0;

  async function deliver(externalId: string): Promise<void> {
    const began = now();
    let delay = retryDelayMs;
    for (;;) {
      const live = targets();
      const target = live[turn++ % Math.max(1, live.length)];
      if (target !== undefined) {
        const startedAt = now();
        const result = await postLead(target, ingestKey, externalId, 15_000);
        attempts.push({ externalId, target, status: result.status, error: result.error, retryAfter: result.retryAfter, startedAt, ms: result.ms });
        if (result.status >= 200 && result.status < 300) {
          acknowledged.set(externalId, now());
          return;
        }
        if (result.status >= 400 && result.status < 500 && result.status !== 429) throw new Error(`lead ${externalId}: ${result.status} from ${target}`);
        // A well-behaved integration waits as long as Retry-After says (503 while the database is away).
        if (result.retryAfter !== undefined && Number(result.retryAfter) > 0) delay = Number(result.retryAfter) * 1000;
      }
      if (now() - began > retryBudgetMs) {
        unacknowledged.push(externalId);
        return;
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }

  const inFlight: Array<Promise<void>> = [];
  const start = now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    inFlight.push(deliver(`${prefix}-${i}`));
  }
  await Promise.all(inFlight);
  return { attempts, acknowledged, unacknowledged };
}

/** Acknowledged leads missing from the database, and extra rows for an externalId (duplicates). */
export async function checkLeads(
  query: (sql: string, params: unknown[]) => Promise<Array<{ external_id: string; n: number }>>,
  acknowledged: Iterable<string>,
): Promise<{ acknowledged: number; lost: number; duplicates: number }> {
  const ids = [...acknowledged];
  const rows = await query('SELECT external_id, count(*)::int AS n FROM lead WHERE external_id = ANY($1) GROUP BY external_id', [ids]);
  const found = new Map(rows.map((row) => [row.external_id, row.n]));
  return {
    acknowledged: ids.length,
    lost: ids.filter((id) => !found.has(id)).length,
    duplicates: rows.reduce((sum, row) => sum + row.n - 1, 0),
  };
}
