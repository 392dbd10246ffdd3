// One practice's board for one day, in memory. Domain events update it in constant time; a state for
// the TV is computed from it only when one is sent (a few times a second at most).
//
// Every apply is idempotent (keyed by lead or call id), so the events that arrive while the board is
// being rebuilt from the database can be applied again afterwards without counting anything twice.

import { CHANNELS, type BoardThresholds, type CallStatus, type Channel } from '../domain/domain.contract.js';
import type { CallChangedV1, LeadBookedV1, LeadCreatedV1, LeadDoNotContactV1, LeadNotBookedV1, LeadRespondedV1 } from '../events/domain-events.js';
import {
  BOARD_LABELS,
  RESPONSE_TIME_CHANNELS,
  continuousPercentile,
  countsForResponseTime,
  missedCallRate,
  MISSED_RATE_MIN_CALLS,
  OPEN_LEAD_WINDOW_DAYS,
  openLeadsSince,
  responseSeconds,
} from '../metrics/metrics.definitions.js';
import type { BoardActivityV1, BoardAfterHoursCallsV1, BoardFollowUpsV1, BoardHourV1, BoardOnPaceV1, BoardStateV1, BoardStaffRowV1 } from './board.contract.js';
import type { PracticeDay } from './practice-day.js';
import { practiceCalendar, type CalendarPractice } from '../practices/practice-calendar.js';

export const ACTIVITY_LENGTH = 15;
export const LEADERBOARD_LENGTH = 8;
export const SOURCES_SHOWN = 6;
export const WAITING_SHOWN = 5;
const NO_SOURCE = '(none)';

export interface BoardPractice {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  thresholds: BoardThresholds;
  /** Opening hours and holiday region: whether it is open now (absent: not said). */
  calendar?: CalendarPractice;
}

/** What the board needs from history, loaded at each rebuild. */
export interface BoardBaseline {
  /** Creation times (epoch ms, ascending) of new-patient leads on the same weekday last week. */
  lastWeekNewLeadTimes: number[];
  /** Typical leads per hour for this weekday, aligned with `PracticeDay.hours`. */
  typicalByHour: Array<{ low: number; median: number; high: number }>;
  /** Today's expected cumulative new-patient leads from the forecast; null/absent without one. */
  onPace?: OnPaceCurve | null;
}

/** Today's expected new-patient leads by time of day, computed once at rebuild (never per event). */
export interface OnPaceCurve {
  /** The practice-local day it was computed for. */
  date: string;
  /** Expected for the whole day. */
  expectedToday: number;
  /** 97 entries, one per wall-clock quarter hour 00:00 ... 24:00: expected count by then and its 80% band. */
  points: Array<{ expected: number; low: number; high: number }>;
}

/** Gives a board its on-pace curve at rebuild; optional (the board shows no on-pace tile without it). */
export interface OnPaceForecaster {
  todayCurve(practiceId: string, day: PracticeDay): Promise<OnPaceCurve | null>;
}

interface TodayLead {
  channel: Channel;
  isNewPatient: boolean;
  booked: boolean;
}

interface WaitingLead {
  createdAt: Date;
  channel: Channel;
  source: string;
}

interface StaffTally {
  name: string;
  bookings: number;
  handled: Set<string>;
  handledBooked: number;
  responseSeconds: number[];
}

interface CallState {
  status: CallStatus;
  inbound: boolean;
  today: boolean;
  afterHours: boolean;
}

type Counts = { newPatients: number; existingPatients: number };

export class PracticeBoard {
  private readonly leadsToday = new Map<string, TodayLead>();
  private readonly byChannel = new Map<Channel, Counts>();
  private readonly bySource = new Map<string, Counts>();
  private readonly waiting = new Map<string, WaitingLead>();
  /** Leads marked do-not-contact: kept so that a replayed creation cannot put them back in `waiting`. */
  private readonly doNotContact = new Set<string>();
  private readonly respondedToday = new Set<string>();
  /** Today's leads on the response-time channels, and the response times of those that had one. */
  private readonly responseTimeLeads = new Set<string>();
  private readonly responseTimeSeconds: number[] = [];
  private readonly bookedToday = new Set<string>();
  private readonly notBooked = new Set<string>();
  private bookedValue = 0;
  private bookedFromTodaysLeads = 0;
  private bookedFromEarlierNewLeads = 0;
  private bookedExistingPatients = 0;
  private newPatientBookedValue = 0;
  private readonly staff = new Map<string, StaffTally>();
  private readonly calls = new Map<string, CallState>();
  /** Today's inbound calls by status: those that started in opening hours, and those outside them. */
  private readonly callCounts: Record<CallStatus, number> = { ringing: 0, answered: 0, missed: 0, voicemail: 0, abandoned: 0 };
  private readonly afterHoursCounts: Record<CallStatus, number> = { ringing: 0, answered: 0, missed: 0, voicemail: 0, abandoned: 0 };
  private readonly leadsPerHour: number[];
  private readonly activity: BoardActivityV1[] = [];
  private activityCounter = 0;

  constructor(
    readonly practice: BoardPractice,
    readonly day: PracticeDay,
    private readonly baseline: BoardBaseline,
  ) {
    this.leadsPerHour = day.hours.map(() => 0);
  }

  isToday(instant: Date): boolean {
    return instant >= this.day.start && instant < this.day.end;
  }

  applyLeadCreated(event: LeadCreatedV1): void {
    if (this.leadsToday.has(event.leadId) || this.waiting.has(event.leadId) || this.respondedToday.has(event.leadId)) return;
    if (this.doNotContact.has(event.leadId)) return;
    const source = event.source ?? NO_SOURCE;
    if (this.isToday(event.createdAt)) {
      this.leadsToday.set(event.leadId, { channel: event.channel, isNewPatient: event.isNewPatient, booked: false });
      const key = event.isNewPatient ? 'newPatients' : 'existingPatients';
      increment(this.byChannel, event.channel)[key]++;
      increment(this.bySource, source)[key]++;
      if (countsForResponseTime(event)) this.responseTimeLeads.add(event.leadId);
      // The hourly chart counts the headline's population: new-patient leads.
      const hour = this.day.hourIndex(event.createdAt);
      if (hour >= 0 && event.isNewPatient) this.leadsPerHour[hour]!++;
      this.log(event.createdAt, 'lead_created', { channel: event.channel, source });
    }
    if (event.createdAt >= openLeadsSince(this.day.start)) {
      this.waiting.set(event.leadId, { createdAt: event.createdAt, channel: event.channel, source });
    }
  }

  /** A person who asked not to be contacted is not waiting for anyone. (Lifting it rebuilds the board:
   * LiveBoardService does that, as it is rare.) */
  applyLeadDoNotContact(event: LeadDoNotContactV1): void {
    if (!event.doNotContact) return;
    this.doNotContact.add(event.leadId);
    this.waiting.delete(event.leadId);
  }

  applyLeadResponded(event: LeadRespondedV1): void {
    this.waiting.delete(event.leadId);
    if (!this.isToday(event.at) || this.respondedToday.has(event.leadId)) return;
    this.respondedToday.add(event.leadId);
    const exact = responseSeconds(event.leadCreatedAt, event.at);
    const seconds = Math.round(exact);
    // Response time counts today's leads (the lead's arrival day, as the reports' date range does) on the
    // channels where a lead waits; a response today to yesterday's lead belongs to yesterday's figure.
    const counted = countsForResponseTime(event) && this.isToday(event.leadCreatedAt);
    if (counted) {
      this.responseTimeLeads.add(event.leadId);
      this.responseTimeSeconds.push(exact);
    }
    if (event.staffId && event.staffName) {
      const tally = this.tally(event.staffId, event.staffName);
      tally.handled.add(event.leadId);
      if (counted) tally.responseSeconds.push(exact);
    }
    this.log(event.at, 'lead_responded', { channel: event.channel, staff: event.staffName, responseSeconds: seconds });
  }

  applyLeadBooked(event: LeadBookedV1): void {
    this.waiting.delete(event.leadId);
    if (!this.isToday(event.at) || this.bookedToday.has(event.leadId)) return;
    this.bookedToday.add(event.leadId);
    this.notBooked.delete(event.leadId);
    this.bookedValue += event.value;
    // Each booking lands in exactly one of three counts, so they add up to `booked`.
    const todays = this.leadsToday.get(event.leadId);
    if (todays) todays.booked = true;
    if (!event.isNewPatient) this.bookedExistingPatients++;
    else {
      this.newPatientBookedValue += event.value;
      if (todays) this.bookedFromTodaysLeads++;
      else this.bookedFromEarlierNewLeads++;
    }
    if (event.staffId && event.staffName) this.tally(event.staffId, event.staffName).bookings++;
    if (event.firstResponseStaffId) {
      const responder = this.staff.get(event.firstResponseStaffId);
      if (responder?.handled.has(event.leadId)) responder.handledBooked++;
    }
    this.log(event.at, 'lead_booked', { channel: event.channel, staff: event.staffName });
  }

  applyLeadNotBooked(event: LeadNotBookedV1): void {
    this.waiting.delete(event.leadId);
    if (!this.isToday(event.at) || this.notBooked.has(event.leadId)) return;
    this.notBooked.add(event.leadId);
    this.log(event.at, 'lead_not_booked', { channel: event.channel, staff: event.staffName, reason: event.reason });
  }

  /** Sets the call to its new state; the counts move by the difference from what the board had. */
  applyCallChanged(event: CallChangedV1): void {
    const previous = this.calls.get(event.callId);
    const next: CallState = {
      status: event.call.status,
      inbound: event.call.direction === 'inbound',
      today: this.isToday(event.call.startedAt),
      afterHours: event.call.afterHours,
    };
    if (
      previous &&
      previous.status === next.status &&
      previous.inbound === next.inbound &&
      previous.today === next.today &&
      previous.afterHours === next.afterHours
    ) {
      return;
    }
    if (previous?.inbound && previous.today) (previous.afterHours ? this.afterHoursCounts : this.callCounts)[previous.status]--;
    if (next.inbound && next.today) (next.afterHours ? this.afterHoursCounts : this.callCounts)[next.status]++;
    this.calls.set(event.callId, next);
    if (next.inbound && next.today && next.status !== 'ringing' && previous?.status !== next.status) {
      this.log(event.at, `call_${next.status}`, {
        staff: next.status === 'answered' ? event.staffName : null,
      });
    }
  }

  /** "Same time last week" moves by the minute: the time-zone maths runs once a minute, not per send. */
  private lastWeekCache = { minute: -1, count: 0 };

  private sameTimeLastWeek(now: Date): number {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.lastWeekCache.minute) {
      const limit = this.day.sameTimeLastWeek(now).getTime();
      this.lastWeekCache = { minute, count: countAtOrBefore(this.baseline.lastWeekNewLeadTimes, limit) };
    }
    return this.lastWeekCache.count;
  }

  toState(now: Date): BoardStateV1 {
    const sameTimeLastWeek = this.sameTimeLastWeek(now);
    const open = callTotals(this.callCounts);
    const sortedResponses = [...this.responseTimeSeconds].sort((a, b) => a - b);
    const newToday = sumCounts(this.byChannel).newPatients;
    const waitingOldest = [...this.waiting.entries()].sort((a, b) => a[1].createdAt.getTime() - b[1].createdAt.getTime()).slice(0, WAITING_SHOWN);

    return {
      practice: { name: this.practice.name, timeZone: this.practice.timeZone, currency: this.practice.currency, ...this.openingAt(now) },
      day: this.day.date,
      generatedAt: now.toISOString(),
      thresholds: this.practice.thresholds,
      leads: {
        total: this.leadsToday.size,
        newPatients: newToday,
        existingPatients: this.leadsToday.size - newToday,
        newPatientsSameTimeLastWeek: sameTimeLastWeek,
        byChannel: CHANNELS.filter((channel) => this.byChannel.has(channel)).map((channel) => ({
          channel,
          ...this.byChannel.get(channel)!,
        })),
        bySource: [...this.bySource.entries()]
          .map(([source, counts]) => ({ source, ...counts }))
          .sort((a, b) => b.newPatients - a.newPatients || b.existingPatients - a.existingPatients || a.source.localeCompare(b.source))
          .slice(0, SOURCES_SHOWN),
      },
      calls: {
        ...open,
        ringing: this.callCounts.ringing,
        missedRate: missedCallRate(open.unanswered, open.inbound),
        rateMinimumCalls: MISSED_RATE_MIN_CALLS,
        afterHours: callTotals(this.afterHoursCounts),
      },
      speedToLead: {
        channels: [...RESPONSE_TIME_CHANNELS],
        responded: sortedResponses.length,
        medianSeconds: continuousPercentile(sortedResponses, 0.5),
        p90Seconds: continuousPercentile(sortedResponses, 0.9),
        notYetResponded: this.responseTimeLeads.size - sortedResponses.length,
      },
      waiting: {
        count: this.waiting.size,
        windowDays: OPEN_LEAD_WINDOW_DAYS,
        oldestCreatedAt: waitingOldest[0]?.[1].createdAt.toISOString() ?? null,
        oldest: waitingOldest.map(([leadId, lead]) => ({
          leadId,
          createdAt: lead.createdAt.toISOString(),
          channel: lead.channel,
          source: lead.source,
        })),
      },
      bookings: {
        booked: this.bookedToday.size,
        bookedValue: Math.round(this.bookedValue * 100) / 100,
        bookedFromTodaysLeads: this.bookedFromTodaysLeads,
        conversionRate: newToday === 0 ? null : this.bookedFromTodaysLeads / newToday,
        breakdown: {
          fromTodaysNewPatientLeads: this.bookedFromTodaysLeads,
          fromEarlierNewPatientLeads: this.bookedFromEarlierNewLeads,
          existingPatients: this.bookedExistingPatients,
          newPatientBookedValue: Math.round(this.newPatientBookedValue * 100) / 100,
        },
      },
      leaderboard: this.leaderboard(),
      hourly: this.hourly(now),
      activity: [...this.activity].reverse(),
      onPace: this.onPace(now, newToday),
      followUps: this.followUps,
      labels: { ...BOARD_LABELS },
    };
  }

  /** Follow-up counts come from the database (they change with the clock as cadence steps fall due),
   * not from events: LiveBoardService counts them and hands them over. true when they changed. */
  setFollowUps(counts: BoardFollowUpsV1): boolean {
    if (this.followUps && this.followUps.due === counts.due && this.followUps.missedCallsNoCallback === counts.missedCallsNoCallback) {
      return false;
    }
    this.followUps = { ...counts };
    return true;
  }

  private followUps: BoardFollowUpsV1 | null = null;

  /** Leads so far against the curve's point at the current wall-clock quarter hour: O(1). */
  private onPace(now: Date, actual: number): BoardOnPaceV1 | null {
    const curve = this.baseline.onPace;
    if (!curve || curve.date !== this.day.date) return null;
    let hourOfDay = 24;
    const index = this.day.hourIndex(now);
    if (now < this.day.start) hourOfDay = 0;
    else if (index >= 0) {
      const hour = this.day.hours[index]!;
      hourOfDay = hour.hourOfDay + (now.getTime() - hour.start.getTime()) / 3600_000;
    }
    const point = curve.points[Math.min(curve.points.length - 1, Math.max(0, Math.floor(hourOfDay * 4)))];
    if (!point) return null;
    const status = actual > point.high ? 'ahead' : actual < point.low ? 'behind' : 'on_pace';
    return { actual, expectedByNow: point.expected, low: point.low, high: point.high, expectedToday: curve.expectedToday, status };
  }

  /** Open now, or when it next opens, by the practice calendar (the rule of a call's after-hours flag). */
  private openingAt(now: Date): { openNow?: boolean; opensAt?: string | null } {
    if (!this.practice.calendar) return {};
    const calendar = practiceCalendar(this.practice.calendar);
    if (calendar.isOpenAt(now)) return { openNow: true, opensAt: null };
    return { openNow: false, opensAt: calendar.nextOpening(now)?.toISOString() ?? null };
  }

  private leaderboard(): BoardStaffRowV1[] {
    return [...this.staff.entries()]
      .map(([staffId, tally]) => ({
        staffId,
        displayName: tally.name,
        bookings: tally.bookings,
        leadsHandled: tally.handled.size,
        conversionRate: tally.handled.size === 0 ? null : tally.handledBooked / tally.handled.size,
        handledBooked: tally.handledBooked,
        medianResponseSeconds: continuousPercentile(
          [...tally.responseSeconds].sort((a, b) => a - b),
          0.5,
        ),
        responses: tally.responseSeconds.length,
      }))
      .sort((a, b) => b.bookings - a.bookings || b.leadsHandled - a.leadsHandled || a.displayName.localeCompare(b.displayName))
      .slice(0, LEADERBOARD_LENGTH);
  }

  private hourly(now: Date): BoardHourV1[] {
    return this.day.hours.map((hour, index) => {
      const typical = this.baseline.typicalByHour[index] ?? { low: 0, median: 0, high: 0 };
      return {
        start: hour.start.toISOString(),
        label: hour.label,
        leads: hour.start > now ? null : this.leadsPerHour[index]!,
        typicalLow: typical.low,
        typicalMedian: typical.median,
        typicalHigh: typical.high,
      };
    });
  }

  private tally(staffId: string, name: string): StaffTally {
    let tally = this.staff.get(staffId);
    if (!tally) {
      tally = { name, bookings: 0, handled: new Set(), handledBooked: 0, responseSeconds: [] };
      this.staff.set(staffId, tally);
    }
    return tally;
  }

  private log(at: Date, kind: BoardActivityV1['kind'], detail: Partial<BoardActivityV1>): void {
    this.activity.push({
      id: `${this.day.date}-${++this.activityCounter}`,
      at: at.toISOString(),
      kind,
      channel: detail.channel ?? null,
      source: detail.source ?? null,
      staff: detail.staff ?? null,
      reason: detail.reason ?? null,
      responseSeconds: detail.responseSeconds ?? null,
    });
    if (this.activity.length > ACTIVITY_LENGTH) this.activity.shift();
  }
}

function increment<K>(map: Map<K, Counts>, key: K): Counts {
  let counts = map.get(key);
  if (!counts) {
    counts = { newPatients: 0, existingPatients: 0 };
    map.set(key, counts);
  }
  return counts;
}

function sumCounts(map: Map<unknown, Counts>): Counts {
  let newPatients = 0;
  let existingPatients = 0;
  for (const counts of map.values()) {
    newPatients += counts.newPatients;
    existingPatients += counts.existingPatients;
  }
  return { newPatients, existingPatients };
}

/** Ended inbound calls by outcome: inbound = answered + unanswered = answered + missed + voicemail + abandoned. */
function callTotals(counts: Record<CallStatus, number>): BoardAfterHoursCallsV1 {
  const unanswered = counts.missed + counts.voicemail + counts.abandoned;
  return {
    inbound: counts.answered + unanswered,
    answered: counts.answered,
    missed: counts.missed,
    voicemail: counts.voicemail,
    abandoned: counts.abandoned,
    unanswered,
  };
}

/** How many of the ascending `times` are <= `limit`: a binary search. */
export function countAtOrBefore(times: number[], limit: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}
