// The TV board's two follow-up numbers, counted as the queue counts them (follow-up-items.ts).

import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { openLeadsSince } from '../metrics/metrics.definitions.js';
import { FollowUpCadencesService } from './follow-up-cadences.service.js';
import { FollowUpCalendars } from './follow-up-calendars.js';
import { FollowUpCountsCache } from './follow-up-counts-cache.js';
import { activeLeads, leadItems, MISSED_CALLS_FROM, MISSED_CALLS_WHERE } from './follow-up-items.js';
import type { FollowUpCountsV1 } from './followups.contract.js';

@Injectable()
export class FollowUpCountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: FollowUpCountsCache,
    private readonly calendars: FollowUpCalendars,
    private readonly cadences: FollowUpCadencesService,
  ) {}

  /**
   * The TV board's two numbers, without patient details:
   * - followUpsDue: leads waiting for a first contact + leads whose next attempt is due at `now`,
   *   counted exactly as the queue counts them (the last QUEUE_WINDOW_DAYS days);
   * - missedCallsNoCallback: missed inbound calls from new patients (or callers not known to be
   *   existing patients) that started today, practice-local (since local midnight), with no callback
   *   yet, leaving out callers who asked not to be contacted.
   * Cost: three indexed queries (lead_practice_created_idx + contact_attempt_lead_idx over the window,
   * call_missed_no_callback_idx for today), plus cadence maths per lead in the window (binary searches
   * in the practice's precomputed calendar). An answer is reused for at most COUNTS_TTL_MS per practice,
   * and never after a domain event of the practice (a new lead, a response, a call, a callback...),
   * the queue, or a follow-up action: within this process, a change is counted at once.
   */
  async counts(practiceId: string, now: Date = new Date()): Promise<FollowUpCountsV1> {
    const cached = this.cache.fresh(practiceId, now);
    if (cached) return cached;
    const generation = this.cache.generation(practiceId);
    const calendar = await this.calendars.calendar(practiceId, now);
    const todayStart = DateTime.fromJSDate(now, { zone: calendar.timeZone }).startOf('day').toJSDate();
    const since = openLeadsSince(todayStart);
    const [cadences, active, missed] = await Promise.all([
      this.cadences.configured(practiceId),
      activeLeads(this.dataSource, practiceId, since, now),
      this.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${MISSED_CALLS_FROM} ${MISSED_CALLS_WHERE}`, [practiceId, todayStart, now]),
    ]);
    const { firstContact, nextAttempt } = leadItems(active, cadences, calendar, now);
    const value = { followUpsDue: firstContact.length + nextAttempt.length, missedCallsNoCallback: missed[0]?.n ?? 0 };
    // A change while counting may not be in these numbers: answer them, but do not reuse them.
    this.cache.keep(practiceId, generation, now, value);
    return value;
  }
}
