// Server time on the TV. A TV's own clock is often minutes off (or never set), and the waiting
// timers must agree with the server's. So the board keeps an offset between the server's clock and
// the TV's *monotonic* clock (`performance.now()`), which never jumps when the wall clock is
// corrected, and shows `localMonotonic + offset` everywhere it needs "now".

/**
 * Estimates `serverClock − localMonotonicClock` from pairs (server timestamp, local receive time).
 *
 * Every source of error in a sample makes it *too small*: network latency, coalescing delay, a
 * state computed a moment before it was sent. So the best estimate is the largest recent sample
 * (the idea behind NTP's minimum-delay filter). Only the last `capacity` samples count, so a
 * server clock correction is followed within a few updates. Fixed-size storage: the TV runs for days.
 */
export class ClockOffsetEstimator {
  private readonly samples: number[];
  private size = 0;
  private next = 0;

  constructor(private readonly capacity = 8) {
    this.samples = new Array<number>(capacity).fill(0);
  }

  /** Record one sample. Ignores a server timestamp that does not parse. */
  add(serverMs: number, localMonotonicMs: number): void {
    const sample = serverMs - localMonotonicMs;
    if (!Number.isFinite(sample)) return;
    this.samples[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The offset to add to the local monotonic clock, or `fallback` before the first sample. */
  offset(fallback: number): number {
    if (this.size === 0) return fallback;
    let best = -Infinity;
    for (let i = 0; i < this.size; i++) best = Math.max(best, this.samples[i]!);
    return best;
  }
}

/**
 * Whole seconds from `since` (ISO 8601) to `nowMs`, never negative; `null` when `since` is null
 * or does not parse. This is what a counting-up timer shows.
 */
export function secondsSince(since: string | null, nowMs: number): number | null {
  if (since === null) return null;
  const t = Date.parse(since);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.floor((nowMs - t) / 1000));
}

export interface PracticeClock {
  /** Wall-clock time in the practice's zone, `14:05`. */
  time(ms: number): string;
  /** Short date in the practice's zone, `Fri 27 Nov`. */
  date(ms: number): string;
  /** The zone actually used: the practice's, or the TV's own when the practice's is unknown. */
  timeZone: string | undefined;
}

/**
 * Formatters for the practice's time zone, built once (Intl formatters are expensive to create on a
 * TV browser). An invalid IANA zone falls back to the TV's own zone instead of breaking the board.
 */
export function createPracticeClock(timeZone: string | undefined): PracticeClock {
  const build = (zone: string | undefined) => ({
    time: new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    date: new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }),
  });
  let zone = timeZone;
  let formats: ReturnType<typeof build>;
  try {
    formats = build(zone);
  } catch {
    zone = undefined;
    formats = build(zone);
  }
  return {
    time: (ms) => formats.time.format(ms),
    date: (ms) => formats.date.format(ms).replace(',', ''),
    timeZone: zone,
  };
}

const weekdayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });

/** The weekday of a calendar day `YYYY-MM-DD` (`2026-11-27` → `Friday`); `''` if it does not parse. */
export function weekdayOf(day: string): string {
  const t = Date.parse(`${day}T12:00:00Z`);
  return Number.isFinite(t) ? weekdayFormat.format(t) : '';
}

/**
 * The header's closed notice, from the board's `practice.openNow` and `opensAt` (the practice
 * calendar: opening hours and public holidays): `Closed · opens 08:00` later today, `Closed · opens
 * Mon 08:00` on another day, `Closed` with no opening in sight; null while open or when the server
 * does not say (older than V1.1). Times are the practice's wall clock.
 */
export function closedNotice(practice: { openNow?: boolean; opensAt?: string | null }, clock: PracticeClock, nowMs: number): string | null {
  if (practice.openNow !== false) return null;
  const opens = practice.opensAt ? Date.parse(practice.opensAt) : NaN;
  if (!Number.isFinite(opens)) return 'Closed';
  const sameDay = clock.date(opens) === clock.date(nowMs);
  const weekday = clock.date(opens).split(' ')[0];
  return `Closed · opens ${sameDay ? '' : `${weekday} `}${clock.time(opens)}`;
}
