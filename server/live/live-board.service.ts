// Keeps each practice's board in memory and tells the TVs: rebuilt from the database at start, on
// first use and at the practice's midnight; updated by domain events; sent coalesced, at most one
// update per practice per COALESCE_MS whatever the event rate.
//
// With several server processes each keeps its own boards, fed by every process's committed events
// (server/cluster/event-bus.ts); when events may have been missed (DomainEvents.onMissed) the boards
// concerned are rebuilt from the database.

import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { DomainEvents, type DomainEvent, type DomainEventMap, type EventMeta } from '../events/domain-events.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { BoardFollowUpsV1, BoardSnapshotV1, BoardUpdateV1 } from './board.contract.js';
import { applyToBoard, BoardLoader } from './board-loader.js';
import type { PracticeBoard } from './practice-board.js';

/** 4 updates a second at most, per practice. */
export const COALESCE_MS = 250;
/** A board with TVs watching is re-sent at least this often, so clocks and "same time last week" move on. */
export const REFRESH_MS = 30_000;

/** Counts the follow-up queue for the board (provided by the follow-ups module). */
export interface FollowUpCounter {
  counts(practiceId: string, now: Date): Promise<{ followUpsDue: number; missedCallsNoCallback: number }>;
}
export const FOLLOW_UP_COUNTER = Symbol('FollowUpCounter');

/** Follow-up counts are recounted shortly after a change (a burst costs one count), and at most once per
 * FOLLOW_UP_INTERVAL_MS per practice: a busy practice costs one count (three queries) per 5 s rather
 * than one per event burst; at bench:live's 100 practices and 200 events/s, counting each second would
 * add up to 300 queries/s beside the ingest. A quiet practice's TV shows a change within a second. */
export const FOLLOW_UP_BATCH_MS = 500;
export const FOLLOW_UP_INTERVAL_MS = 5_000;

export interface BoardPublisher {
  /** How many TVs watch the practice; nothing is computed for a board nobody watches. */
  watchers(practiceId: string): number;
  publish(practiceId: string, update: BoardUpdateV1): void;
}

interface BoardEntry {
  board: PracticeBoard | null;
  /** Set while the board is being (re)built; events arriving meanwhile wait in `pending`. */
  loading: Promise<PracticeBoard> | null;
  pending: DomainEvent[];
  seq: number;
  lastSentAt: number;
  sendTimer: NodeJS.Timeout | null;
  midnightTimer: NodeJS.Timeout | null;
  followUpTimer: NodeJS.Timeout | null;
  /** When the last follow-up count started (ms). */
  followUpCountedAt: number;
  /** Commit time of the oldest change applied since the last send (ms), for the commit-to-emit metric. */
  oldestUnsentAt: number | null;
}

const BOARD_EVENTS = ['LeadCreatedV1', 'LeadRespondedV1', 'LeadBookedV1', 'LeadNotBookedV1', 'CallChangedV1', 'LeadUnmergedV1'] as const;
/** Events that can change the follow-up counts without changing anything else on the board. */
const FOLLOW_UP_ONLY_EVENTS = ['LeadMergedV1', 'ContactAttemptedV1', 'CallbacksMadeV1'] as const;

@Injectable()
export class LiveBoardService implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveBoardService.name);
  private readonly entries = new Map<string, BoardEntry>();
  private readonly unsubscribe: Array<() => void>;
  private readonly refreshTimer: NodeJS.Timeout;
  private publisher: BoardPublisher | null = null;

  constructor(
    private readonly loader: BoardLoader,
    events: DomainEvents,
    @Optional() @Inject(FOLLOW_UP_COUNTER) private readonly followUpCounter: FollowUpCounter | null = null,
    @Optional() @Inject(MetricsService) private readonly metrics: MetricsService | null = null,
  ) {
    this.unsubscribe = BOARD_EVENTS.map((name) =>
      events.on(name, (payload: DomainEventMap[typeof name], meta) => this.onEvent({ name, payload } as DomainEvent, meta)),
    );
    // Events may have been missed (a sequence gap, a lost bus connection): rebuild from the database.
    this.unsubscribe.push(
      events.onMissed((practiceId) => {
        for (const id of practiceId === null ? [...this.entries.keys()] : [practiceId]) {
          if (this.entries.has(id)) void this.rebuildLogged(id);
        }
      }),
    );
    for (const name of FOLLOW_UP_ONLY_EVENTS) {
      this.unsubscribe.push(events.on(name, ({ practiceId }) => this.scheduleFollowUpCount(practiceId)));
    }
    // New time zone, hours or thresholds: the board is rebuilt from the database with them.
    this.unsubscribe.push(
      events.on('PracticeSettingsChangedV1', ({ practiceId }) => {
        if (this.entries.has(practiceId)) void this.rebuildLogged(practiceId);
      }),
    );
    // Do-not-contact takes a lead off the waiting list at once; lifting it (rare) rebuilds the board.
    this.unsubscribe.push(
      events.on('LeadDoNotContactV1', (payload) => {
        if (payload.doNotContact) this.onEvent({ name: 'LeadDoNotContactV1', payload });
        else if (this.entries.has(payload.practiceId)) void this.rebuildLogged(payload.practiceId);
      }),
    );
    this.refreshTimer = setInterval(() => this.refreshWatchedBoards(), REFRESH_MS / 2);
    this.refreshTimer.unref();
  }

  setPublisher(publisher: BoardPublisher): void {
    this.publisher = publisher;
  }

  /** The practice's current board, built from the database if this process has none yet. The follow-up
   * counts are recounted for every reader: without a TV watching nothing else recounts them, and a
   * `GET /api/v1/board` must not show a voicemail's follow-up as 0 while the queue lists it. */
  async snapshot(practiceId: string): Promise<BoardSnapshotV1> {
    const entry = this.entry(practiceId);
    const built = entry.board && !entry.loading ? null : await this.rebuild(practiceId);
    const board = built ?? entry.board!;
    if (!built && (await this.countFollowUps(practiceId, board))) this.scheduleSend(practiceId, entry);
    return { seq: entry.seq, state: board.toState(new Date()) };
  }

  /** Builds (or rebuilds) a board from the database; events that arrive meanwhile are applied after. */
  rebuild(practiceId: string): Promise<PracticeBoard> {
    const entry = this.entry(practiceId);
    if (entry.loading) return entry.loading;
    const loading = this.loader
      .load(practiceId, new Date())
      .then(async (board) => {
        await this.countFollowUps(practiceId, board);
        // Replaying is safe: a board ignores what it already counted from the database.
        for (const event of entry.pending.splice(0)) applyToBoard(board, event);
        entry.board = board;
        this.scheduleMidnight(practiceId, entry, board);
        this.scheduleSend(practiceId, entry);
        return board;
      })
      .finally(() => {
        entry.loading = null;
      });
    entry.loading = loading;
    return loading;
  }

  onApplicationShutdown(): void {
    clearInterval(this.refreshTimer);
    for (const off of this.unsubscribe) off();
    for (const entry of this.entries.values()) {
      if (entry.sendTimer) clearTimeout(entry.sendTimer);
      if (entry.midnightTimer) clearTimeout(entry.midnightTimer);
      if (entry.followUpTimer) clearTimeout(entry.followUpTimer);
    }
  }

  private onEvent(event: DomainEvent, meta?: EventMeta): void {
    const entry = this.entries.get(event.payload.practiceId);
    if (!entry) return; // not built in this process yet: the database has it for when it is.
    if (meta && (entry.oldestUnsentAt === null || meta.committedAt < entry.oldestUnsentAt)) entry.oldestUnsentAt = meta.committedAt;
    if (entry.loading || !entry.board) {
      entry.pending.push(event);
      return;
    }
    if (Date.now() >= entry.board.day.end.getTime()) {
      // Past the practice's midnight before its timer fired: start the new day from the database.
      entry.pending.push(event);
      void this.rebuildLogged(event.payload.practiceId);
      return;
    }
    applyToBoard(entry.board, event);
    this.scheduleSend(event.payload.practiceId, entry);
    this.scheduleFollowUpCount(event.payload.practiceId);
  }

  /** Recounts a watched board's follow-ups shortly after a change; unwatched boards are counted when
   * a TV asks for them (the rebuild does). */
  private scheduleFollowUpCount(practiceId: string): void {
    const entry = this.entries.get(practiceId);
    if (!this.followUpCounter || !entry?.board || entry.followUpTimer || !this.publisher?.watchers(practiceId)) return;
    const wait = Math.max(FOLLOW_UP_BATCH_MS, entry.followUpCountedAt + FOLLOW_UP_INTERVAL_MS - Date.now());
    entry.followUpTimer = setTimeout(() => {
      entry.followUpTimer = null;
      const board = entry.board;
      if (!board) return;
      entry.followUpCountedAt = Date.now();
      void this.countFollowUps(practiceId, board).then((changed) => {
        if (changed) this.scheduleSend(practiceId, entry);
      });
    }, wait);
  }

  /** Counts in the database and hands the numbers to the board; a failure costs the numbers, never the board. */
  private async countFollowUps(practiceId: string, board: PracticeBoard): Promise<boolean> {
    if (!this.followUpCounter) return false;
    try {
      const counts = await this.followUpCounter.counts(practiceId, new Date());
      const followUps: BoardFollowUpsV1 = { due: counts.followUpsDue, missedCallsNoCallback: counts.missedCallsNoCallback };
      return board.setFollowUps(followUps);
    } catch (error) {
      this.logger.warn(`follow-up count failed for practice ${practiceId}: ${(error as Error).message}`);
      return false;
    }
  }

  private entry(practiceId: string): BoardEntry {
    let entry = this.entries.get(practiceId);
    if (!entry) {
      entry = {
        board: null,
        loading: null,
        pending: [],
        seq: 0,
        lastSentAt: 0,
        sendTimer: null,
        midnightTimer: null,
        followUpTimer: null,
        followUpCountedAt: 0,
        oldestUnsentAt: null,
      };
      this.entries.set(practiceId, entry);
    }
    return entry;
  }

  /** Leading edge at once, then at most one send per COALESCE_MS: a burst costs one send, not one per event. */
  private scheduleSend(practiceId: string, entry: BoardEntry): void {
    if (entry.sendTimer) return;
    const wait = Math.max(0, entry.lastSentAt + COALESCE_MS - Date.now());
    entry.sendTimer = setTimeout(() => {
      entry.sendTimer = null;
      this.send(practiceId, entry);
    }, wait);
  }

  private send(practiceId: string, entry: BoardEntry): void {
    if (!entry.board || !this.publisher || this.publisher.watchers(practiceId) === 0) return;
    entry.lastSentAt = Date.now();
    entry.seq += 1;
    this.publisher.publish(practiceId, { seq: entry.seq, state: entry.board.toState(new Date(entry.lastSentAt)) });
    if (entry.oldestUnsentAt !== null) {
      this.metrics?.commitToEmit.observe(Math.max(0, Date.now() - entry.oldestUnsentAt) / 1000);
      entry.oldestUnsentAt = null;
    }
  }

  private scheduleMidnight(practiceId: string, entry: BoardEntry, board: PracticeBoard): void {
    if (entry.midnightTimer) clearTimeout(entry.midnightTimer);
    const wait = Math.max(0, board.day.end.getTime() - Date.now()) + 50;
    entry.midnightTimer = setTimeout(() => void this.rebuildLogged(practiceId), Math.min(wait, 2 ** 31 - 1));
    entry.midnightTimer.unref();
  }

  private refreshWatchedBoards(): void {
    const now = Date.now();
    for (const [practiceId, entry] of this.entries) {
      if (!entry.board || entry.loading || !this.publisher?.watchers(practiceId)) continue;
      if (now >= entry.board.day.end.getTime()) void this.rebuildLogged(practiceId);
      else {
        // Cadence steps fall due with the clock, not with events: recount on every refresh tick.
        this.scheduleFollowUpCount(practiceId);
        if (now - entry.lastSentAt >= REFRESH_MS) this.scheduleSend(practiceId, entry);
      }
    }
  }

  private async rebuildLogged(practiceId: string): Promise<void> {
    try {
      await this.rebuild(practiceId);
    } catch (error) {
      this.logger.error(`board rebuild failed for practice ${practiceId}: ${(error as Error).message}`);
    }
  }
}
