// Feeds a simulated practice into the ingest services: years of history at once (seedHistory), or
// today in real time (LiveSimulator). Both go through the IngestPort and the API's own schemas, so
// simulated data obeys every rule real data does.

import type { IngestPort } from '../ingest/ingest.port.js';
import { ActionApplier, describeFailure, type ActionFailure } from './action-applier.js';
import { addDays, daysBetween } from '../common/local-date.js';
import { PracticeCalendar } from './practice-calendar.js';
import type { PracticeProfile } from './practice-profile.js';
import { actionsOnDay, MAX_LEAD_LIFETIME_DAYS, simulateDays, type SimulatedAction, type SimulationOptions } from './practice-simulator.js';

/** How many failures a report keeps verbatim (all are counted). */
const FAILURES_KEPT = 20;
/** setTimeout's ceiling; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const DAY_MS = 86_400_000;

export interface SeedHistoryOptions {
  /** First local day, 'YYYY-MM-DD'. */
  from: string;
  /** Day after the last, exclusive. Days (and actions) after now are skipped whatever `to` says. */
  to: string;
  seed: SimulationOptions['seed'];
  /** Real staff ids by display name; every staff member of the profile must be present. */
  staffIds: Readonly<Record<string, string>>;
  /** Called after each day's batch. */
  onProgress?: (progress: SeedProgress) => void;
  /** Called for each failed action (it is counted either way). */
  onError?: (failure: ActionFailure) => void;
}

export interface SeedProgress {
  day: string;
  daysDone: number;
  daysTotal: number;
  applied: number;
  failed: number;
}

export interface SeedReport {
  days: number;
  /** Actions the port accepted and committed. */
  applied: number;
  /** Actions refused, by validation or the port, or lost with a batch that failed to commit. */
  failed: number;
  /** Actions after "now" that were not sent (they belong to the live simulator). */
  skippedFuture: number;
  /** The first failures, for a log. */
  failures: ActionFailure[];
  elapsedMs: number;
}

function assertStaffIds(profile: PracticeProfile, staffIds: Readonly<Record<string, string>>): void {
  const missing = profile.staff.filter((member) => !staffIds[member.name]).map((member) => member.name);
  if (missing.length > 0) throw new Error(`no staff id for ${missing.join(', ')}`);
}

/**
 * Loads simulated history for [from, to) into a practice, one `port.batch` (one transaction) per
 * day, stopping at now. Failed actions are counted, passed to `onError` and listed in the report;
 * they never stop the seeding. Deterministic: the same seed gives the same history (and the same
 * external ids, so running it twice changes nothing). Throws only on bad options.
 *
 * Pair it with a LiveSimulator by seeding up to today (`to` = today, exclusive): the live
 * simulator then plays today from its midnight, including later events of the seeded leads.
 */
export async function seedHistory(port: IngestPort, practiceId: string, profile: PracticeProfile, options: SeedHistoryOptions): Promise<SeedReport> {
  assertStaffIds(profile, options.staffIds);
  const started = Date.now();
  const applier = new ActionApplier(practiceId);
  const report: SeedReport = { days: 0, applied: 0, failed: 0, skippedFuture: 0, failures: [], elapsedMs: 0 };
  const fail = (failure: ActionFailure) => {
    report.failed++;
    if (report.failures.length < FAILURES_KEPT) report.failures.push(failure);
    options.onError?.(failure);
  };
  const daysTotal = Math.max(0, daysBetween(options.from, options.to));
  const today = new PracticeCalendar(profile).dayOf(Date.now());
  const simulation = { seed: options.seed, staffIds: options.staffIds };
  for (const { day, actions } of simulateDays(profile, { from: options.from, to: options.to }, simulation)) {
    if (day > today) break;
    const now = Date.now();
    const due = actions.filter((action) => action.at.getTime() <= now);
    report.skippedFuture += actions.length - due.length;
    // History needs each call's outcome, not the "ringing" message before it: fewer requests to load
    // (the seeding time is the database's, per request), the same rows.
    const batch = withoutStaleRinging(due);
    report.applied += await applier.applyBatch(port, batch, (action, error) => fail(describeFailure(action, error)));
    report.days++;
    options.onProgress?.({ day, daysDone: report.days, daysTotal, applied: report.applied, failed: report.failed });
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

export interface LiveSimulatorOptions {
  practiceId: string;
  profile: PracticeProfile;
  /** Use the seed the history was seeded with, so today continues that story. */
  seed: SimulationOptions['seed'];
  staffIds: Readonly<Record<string, string>>;
  /**
   * How fast the simulator catches up at start (simulated seconds per real second). Every action is
   * sent with its own simulated time, never re-stamped, and only once that time has come: the
   * practice's day runs on the real clock, at its real density, inside its real opening hours.
   * With speed 1, everything that already happened today is sent at once. Above 1, the day since
   * the practice opened this morning (or, before it opens, the last `speed` simulated minutes) is
   * replayed at `speed` instead (60x: an hour a minute), so a board opened now fills in visibly
   * with the day so far; then the clock is real time. What happened before that is sent at once.
   */
  speed?: number;
  /** Told about each failed action; the simulator carries on. Defaults to one line on stderr. */
  onError?: (failure: ActionFailure) => void;
  /** While history is still being seeded, events of leads that arrived before the first day played
   * wait for this promise: sent earlier, they would reach those leads ahead of their own past. */
  holdHistoryUntil?: Promise<unknown>;
}

export interface LiveSimulatorStats {
  running: boolean;
  /** The simulated local day being played. */
  day: string | undefined;
  applied: number;
  failed: number;
}

/** Before the practice opens, the replay covers this much real time at `speed` (60x: the last hour). */
const REPLAY_REAL_MS = 60_000;

/**
 * Plays a simulated practice's day as it happens, on the real clock. `start()` sends what already
 * happened today (at once, or the last stretch replayed quickly, see `speed`), then each action at
 * its own time, rolling over at the practice's midnight. Timestamps are the simulation's own, so a
 * restart sends exactly the same requests again (ingest is idempotent: nothing moves, nothing
 * fails) and the history it writes is the practice's real pattern, quiet nights included. One
 * timer at most is pending, unref'd so it never keeps the process alive; `stop()` clears it and
 * waits for an action in flight.
 */
export class LiveSimulator {
  private readonly applier: ActionApplier;
  private readonly calendar: PracticeCalendar;
  private readonly speed: number;
  private readonly onError: (failure: ActionFailure) => void;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;
  private day: string | undefined;
  private dayEnd = 0;
  private queue: SimulatedAction[] = [];
  private next = 0;
  private applied = 0;
  private failed = 0;
  /** Real time at start, and the simulated instant the catch-up replay starts from (today's
   * opening, or the last stretch before it). */
  private realStart = 0;
  private replayFrom = 0;
  /** Start of the first day played: leads before it belong to the seeded history. */
  private historyEnd = 0;
  /** Actions on history leads waiting for `holdHistoryUntil`; null once released. */
  private held: SimulatedAction[] | null = null;

  constructor(
    private readonly port: IngestPort,
    private readonly options: LiveSimulatorOptions,
  ) {
    assertStaffIds(options.profile, options.staffIds);
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0 && Number.isFinite(this.speed))) throw new RangeError('speed must be a positive number');
    this.applier = new ActionApplier(options.practiceId);
    this.calendar = new PracticeCalendar(options.profile);
    this.onError =
      options.onError ??
      ((failure) => console.error(`live simulator: ${failure.kind} ${failure.key} at ${failure.at.toISOString()} failed: ${failure.message}`));
  }

  get stats(): LiveSimulatorStats {
    return { running: this.running, day: this.day, applied: this.applied, failed: this.failed };
  }

  /** Starts playing; resolves once the actions sent at once are applied. Calling it twice is a no-op. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.realStart = Date.now();
    this.load(this.calendar.dayOf(this.realStart));
    const dayStart = this.calendar.day(this.day!).start;
    this.historyEnd = dayStart;
    const opened = this.calendar.day(this.day!).open[0]?.start;
    const from = opened !== undefined && opened <= this.realStart ? opened : this.realStart - REPLAY_REAL_MS * this.speed;
    this.replayFrom = this.speed > 1 ? Math.max(dayStart, from) : this.realStart;
    if (this.options.holdHistoryUntil) {
      this.held = [];
      this.options.holdHistoryUntil.then(
        () => this.releaseHeld(),
        () => this.releaseHeld(),
      );
    }
    const pending = this.queue.findIndex((action) => action.at.getTime() > this.replayFrom);
    this.next = pending < 0 ? this.queue.length : pending;
    const due = withoutStaleRinging(this.queue.slice(0, this.next)).filter((action) => !this.hold(action));
    this.inFlight = this.catchUp(due);
    await this.inFlight;
    this.schedule();
  }

  /** Stops playing: no timer stays pending; resolves when an action in flight has finished. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** The simulated clock: the catch-up replay line until it meets real time, then real time. Never ahead of now. */
  private simulatedNow(): number {
    const now = Date.now();
    return Math.min(now, this.replayFrom + (now - this.realStart) * this.speed);
  }

  /** Real milliseconds until the simulated clock reaches `at`. */
  private realWaitUntil(at: number): number {
    const onReplayLine = this.realStart + (at - this.replayFrom) / this.speed;
    return Math.max(0, Math.ceil(Math.max(onReplayLine, at) - Date.now()));
  }

  private load(day: string): void {
    this.day = day;
    this.dayEnd = this.calendar.day(day).end;
    this.queue = actionsOnDay(this.options.profile, day, { seed: this.options.seed, staffIds: this.options.staffIds });
    this.next = 0;
    this.applier.forgetLeadsBefore(this.calendar.day(day).start - (MAX_LEAD_LIFETIME_DAYS + 1) * DAY_MS);
  }

  private async catchUp(due: SimulatedAction[]): Promise<void> {
    this.applied += await this.applier.applyBatch(this.port, due, (action, error) => this.fail(action, error));
  }

  private schedule(): void {
    if (!this.running) return;
    const upcoming = this.queue[this.next];
    const wait = this.realWaitUntil(upcoming ? upcoming.at.getTime() : this.dayEnd);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.inFlight = this.tick();
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    this.timer.unref();
  }

  /** Applies whatever is due, rolls over to the next day when this one is done, then re-arms. */
  private async tick(): Promise<void> {
    while (this.running) {
      const upcoming = this.queue[this.next];
      const now = this.simulatedNow();
      if (upcoming && upcoming.at.getTime() <= now) {
        this.next++;
        if (!this.hold(upcoming)) await this.apply(upcoming);
      } else if (!upcoming && now >= this.dayEnd && this.day) {
        this.load(addDays(this.day, 1));
      } else {
        break;
      }
    }
    this.schedule();
  }

  /** Keeps an action on a history lead back while the history is being seeded; true if it did. */
  private hold(action: SimulatedAction): boolean {
    if (this.held === null || action.kind === 'lead' || !action.lead?.createdAt) return false;
    if (Date.parse(action.lead.createdAt) >= this.historyEnd) return false;
    this.held.push(action);
    return true;
  }

  private releaseHeld(): void {
    const held = this.held ?? [];
    this.held = null;
    if (!this.running || held.length === 0) return;
    const previous = this.inFlight;
    this.inFlight = (async () => {
      await previous;
      for (const action of held) await this.apply(action);
    })();
  }

  private async apply(action: SimulatedAction): Promise<void> {
    try {
      await this.applier.apply(this.port, action);
      this.applied++;
    } catch (error) {
      this.fail(action, error);
    }
  }

  private fail(action: SimulatedAction, error: unknown): void {
    this.failed++;
    try {
      this.onError(describeFailure(action, error));
    } catch {
      // A throwing error handler must not kill the loop; the failure is counted above.
    }
  }
}

/** Drops "ringing" messages of calls whose outcome is in the same list: replaying a past day (again,
 * after a restart) must not send a finished call back to ringing, even for a moment. */
function withoutStaleRinging(actions: SimulatedAction[]): SimulatedAction[] {
  const finished = new Set(actions.flatMap((action) => (action.kind === 'call' && action.input.status !== 'ringing' ? [action.input.externalId] : [])));
  return actions.filter((action) => !(action.kind === 'call' && action.input.status === 'ringing' && finished.has(action.input.externalId)));
}
