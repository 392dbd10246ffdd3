// The practice's calendar as the follow-up cadence reads it: time zone, opening hours, and the public
// holidays of its region (from the practices module's calendar, closed all day), with a precomputed
// index of its days, so the due times of the queue's leads need no time-zone maths.

import { Injectable } from '@nestjs/common';
import { holidaysBetween } from '../practices/practice-calendar.js';
import { PracticesService } from '../practices/practices.service.js';
import { calendarIndex, type CalendarIndex, type PracticeCalendar } from './cadence.js';
import { QUEUE_WINDOW_DAYS } from './follow-up-items.js';

/** The precomputed calendar reaches this many days ahead, and is rebuilt when less than the minimum is left. */
const INDEX_AHEAD_DAYS = 130;
const INDEX_MIN_AHEAD_DAYS = 100;
const DAY_MS = 86_400_000;

@Injectable()
export class FollowUpCalendars {
  /** Per practice: its local days and opening intervals, precomputed (see calendarIndex), while its settings stay the same. */
  private readonly indexCache = new Map<string, { signature: string; index: CalendarIndex }>();

  constructor(private readonly practices: PracticesService) {}

  /** The practice's calendar at `now`, with its index (rebuilt when its settings change or it runs short). */
  async calendar(practiceId: string, now: Date): Promise<PracticeCalendar> {
    const practice = await this.practices.getPractice(practiceId);
    const year = now.getUTCFullYear();
    const holidayKey = `${practice.holidayRegion ?? ''}:${year}`;
    const closedDates = holidaysBetween(practice.holidayRegion, year - 1, year + 1);
    const calendar: PracticeCalendar = { timeZone: practice.timeZone, openingHours: practice.openingHours, closedDates };
    // Covers every lead of the window (from its arrival) and due times up to INDEX_AHEAD_DAYS ahead;
    // anything outside falls back to the direct computation, with the same answer.
    const signature = `${practice.timeZone}|${JSON.stringify(practice.openingHours)}|${holidayKey}`;
    const windowStart = now.getTime() - (QUEUE_WINDOW_DAYS + 2) * DAY_MS;
    let cached = this.indexCache.get(practiceId);
    if (!cached || cached.signature !== signature || cached.index.from > windowStart || cached.index.to < now.getTime() + INDEX_MIN_AHEAD_DAYS * DAY_MS) {
      const index = calendarIndex(calendar, new Date(windowStart - 7 * DAY_MS), new Date(now.getTime() + INDEX_AHEAD_DAYS * DAY_MS));
      cached = { signature, index };
      if (this.indexCache.size > 1000) this.indexCache.clear();
      this.indexCache.set(practiceId, cached);
    }
    return { ...calendar, index: cached.index };
  }
}
