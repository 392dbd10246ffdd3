// A per-key in-memory cache whose entries expire just after the practice's next local midnight and
// are then recomputed in the background while still in use (dropped after a week unused).
// Concurrent requests for the same key share one computation; a failed computation is not kept.

import { Logger } from '@nestjs/common';
import { DateTime } from 'luxon';

interface Entry<T> {
  promise: Promise<T>;
  expiresAt: number;
  lastUsedAt: number;
  compute: () => Promise<{ value: T; timeZone: string }>;
}

const IDLE_DROP_MS = 7 * 86_400_000;
const CHECK_MS = 10 * 60_000;

export class NightlyCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly logger: Logger) {
    this.timer = setInterval(() => this.refreshExpired(), CHECK_MS);
    this.timer.unref();
  }

  /** The cached value for `key`, or a fresh one (also when `refresh`). `compute` names the practice's time zone. */
  async get(key: string, compute: () => Promise<{ value: T; timeZone: string }>, refresh = false): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && !refresh && cached.expiresAt > now) {
      cached.lastUsedAt = now;
      return cached.promise;
    }
    return this.run(key, compute, now);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async run(key: string, compute: Entry<T>['compute'], now: number): Promise<T> {
    const computed = compute();
    const entry: Entry<T> = { promise: computed.then((c) => c.value), expiresAt: Infinity, lastUsedAt: now, compute };
    const previous = this.entries.get(key);
    if (previous) entry.lastUsedAt = Math.max(now, previous.lastUsedAt);
    this.entries.set(key, entry);
    try {
      const { value, timeZone } = await computed;
      entry.expiresAt = DateTime.fromMillis(now, { zone: timeZone }).startOf('day').plus({ days: 1, minutes: 5 }).toMillis();
      return value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  private refreshExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) continue;
      if (now - entry.lastUsedAt > IDLE_DROP_MS) {
        this.entries.delete(key);
        continue;
      }
      this.run(key, entry.compute, now).catch((error: Error) => this.logger.warn(`nightly refresh of ${key} failed: ${error.message}`));
    }
  }
}
