// The TV's follow-up counts are asked for every few seconds per practice: an answer is reused for
// COUNTS_TTL_MS, and never after a change of the practice (a domain event, the queue, a follow-up
// action or a cadence change), so a change is counted at once within this process.

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainEvents, type DomainEventMap } from '../events/domain-events.js';
import type { FollowUpCountsV1 } from './followups.contract.js';

/** How long `counts` reuses an answer for a practice (the board asks every few seconds). */
export const COUNTS_TTL_MS = 5_000;

/** Events after which a practice's counts are computed afresh instead of reused. */
const COUNT_CHANGING_EVENTS: ReadonlyArray<keyof DomainEventMap> = [
  'LeadCreatedV1',
  'LeadRespondedV1',
  'LeadBookedV1',
  'LeadNotBookedV1',
  'CallChangedV1',
  'LeadMergedV1',
  'LeadUnmergedV1',
  'ContactAttemptedV1',
  'LeadDoNotContactV1',
  'CallbacksMadeV1',
  'PracticeSettingsChangedV1',
];

@Injectable()
export class FollowUpCountsCache implements OnApplicationShutdown {
  private readonly answers = new Map<string, { at: number; value: FollowUpCountsV1 }>();
  /** Bumped on every change of a practice: a count that started before a change is not kept after it. */
  private readonly generations = new Map<string, number>();
  private readonly unsubscribe: Array<() => void>;

  constructor(events: DomainEvents) {
    this.unsubscribe = COUNT_CHANGING_EVENTS.map((name) => events.on(name, (payload: { practiceId: string }) => this.invalidate(payload.practiceId)));
  }

  onApplicationShutdown(): void {
    for (const off of this.unsubscribe) off();
  }

  /** The practice changed: its counts are computed afresh. */
  invalidate(practiceId: string): void {
    this.answers.delete(practiceId);
    this.generations.set(practiceId, (this.generations.get(practiceId) ?? 0) + 1);
  }

  /** A reusable answer at `now`, or null. */
  fresh(practiceId: string, now: Date): FollowUpCountsV1 | null {
    const cached = this.answers.get(practiceId);
    return cached && now.getTime() >= cached.at && now.getTime() - cached.at < COUNTS_TTL_MS ? cached.value : null;
  }

  /** Where the practice is in its changes: pass it back to `keep`. */
  generation(practiceId: string): number {
    return this.generations.get(practiceId) ?? 0;
  }

  /** Keeps an answer computed since `generation`, unless a change came in while counting. */
  keep(practiceId: string, generation: number, now: Date, value: FollowUpCountsV1): void {
    if (this.generation(practiceId) !== generation) return;
    if (this.answers.size > 10_000) this.answers.clear();
    this.answers.set(practiceId, { at: now.getTime(), value });
  }
}
