// Rebuilds a practice's board for a day from the database: today's rows are turned into the same
// domain events the live path applies, in time order, so there is one way a board gets its numbers.

import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { quantileSorted } from 'simple-statistics';
import { DataSource } from 'typeorm';
import type { CallDirection, CallStatus, Channel, NotBookedReason } from '../domain/domain.contract.js';
import type { DomainEvent } from '../events/domain-events.js';
import { openLeadsSince } from '../metrics/metrics.definitions.js';
import { PracticesService } from '../practices/practices.service.js';
import { PracticeBoard, type BoardBaseline, type OnPaceCurve, type OnPaceForecaster } from './practice-board.js';
import { PracticeDay } from './practice-day.js';

/** Weeks of history behind the "typical for this weekday" band. */
export const TYPICAL_WEEKS = 8;

interface LeadRow {
  id: string;
  channel: Channel;
  is_new_patient: boolean;
  created_at: Date;
  source: string | null;
  first_response_at: Date | null;
  first_response_staff_id: string | null;
  first_response_staff: string | null;
  booked_at: Date | null;
  booked_by_staff_id: string | null;
  booked_by_staff: string | null;
  estimated_value: string | null;
  do_not_contact: boolean;
}

interface CallRow {
  id: string;
  status: CallStatus;
  direction: CallDirection;
  started_at: Date;
  after_hours: boolean;
  at: Date;
  staff: string | null;
}

/** Injection token of the optional OnPaceForecaster (the forecast module provides it). */
export const ON_PACE_FORECASTER = Symbol('ON_PACE_FORECASTER');

@Injectable()
export class BoardLoader {
  private readonly logger = new Logger(BoardLoader.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly practices: PracticesService,
    @Optional() @Inject(ON_PACE_FORECASTER) private readonly forecaster?: OnPaceForecaster,
  ) {}

  async load(practiceId: string, now: Date): Promise<PracticeBoard> {
    const practice = await this.practices.getPractice(practiceId);
    const day = PracticeDay.containing(practice.timeZone, now);
    const [events, baseline, onPace] = await Promise.all([
      this.todaysEvents(practiceId, day),
      this.baseline(practiceId, day),
      this.onPaceCurve(practiceId, day),
    ]);
    baseline.onPace = onPace;
    const board = new PracticeBoard(
      {
        id: practice.id,
        name: practice.name,
        timeZone: practice.timeZone,
        currency: practice.currency,
        thresholds: practice.boardThresholds,
        calendar: { timeZone: practice.timeZone, openingHours: practice.openingHours, holidayRegion: practice.holidayRegion },
      },
      day,
      baseline,
    );
    for (const event of events) applyToBoard(board, event);
    return board;
  }

  /** Today's on-pace curve, once per rebuild; a forecast failure costs the tile, never the board. */
  private async onPaceCurve(practiceId: string, day: PracticeDay): Promise<OnPaceCurve | null> {
    if (!this.forecaster) return null;
    try {
      return await this.forecaster.todayCurve(practiceId, day);
    } catch (error) {
      this.logger.warn(`on-pace forecast failed for practice ${practiceId}: ${(error as Error).message}`);
      return null;
    }
  }

  private async todaysEvents(practiceId: string, day: PracticeDay): Promise<DomainEvent[]> {
    const waitingSince = openLeadsSince(day.start);
    const leads: LeadRow[] = await this.dataSource.query(
      `SELECT l.id, l.channel, l.is_new_patient, l.created_at, s.name AS source,
              l.first_response_at, l.first_response_staff_id, fs.display_name AS first_response_staff,
              l.booked_at, l.booked_by_staff_id, bs.display_name AS booked_by_staff, l.estimated_value,
              l.do_not_contact_at IS NOT NULL AS do_not_contact
         FROM lead l
         LEFT JOIN marketing_source s ON s.id = l.source_id
         LEFT JOIN staff fs ON fs.id = l.first_response_staff_id
         LEFT JOIN staff bs ON bs.id = l.booked_by_staff_id
        WHERE l.practice_id = $1
          AND l.merged_into_lead_id IS NULL
          AND ((l.created_at >= $2 AND l.created_at < $3)
            OR (l.created_at >= $4 AND l.first_response_at IS NULL AND l.status = 'open')
            OR (l.first_response_at >= $2 AND l.first_response_at < $3)
            OR (l.booked_at >= $2 AND l.booked_at < $3))`,
      [practiceId, day.start, day.end, waitingSince],
    );
    const notBooked: Array<{ lead_id: string; at: Date; reason: NotBookedReason; channel: Channel; staff: string | null }> = await this.dataSource.query(
      `SELECT e.lead_id, e.at, e.detail->>'reason' AS reason, l.channel, st.display_name AS staff
           FROM lead_event e JOIN lead l ON l.id = e.lead_id LEFT JOIN staff st ON st.id = e.staff_id
          WHERE e.practice_id = $1 AND e.type = 'not_booked' AND e.at >= $2 AND e.at < $3`,
      [practiceId, day.start, day.end],
    );
    const calls: CallRow[] = await this.dataSource.query(
      `SELECT c.id, c.status, c.direction, c.started_at, c.after_hours, coalesce(c.ended_at, c.answered_at, c.started_at) AS at,
              st.display_name AS staff
         FROM call c LEFT JOIN staff st ON st.id = c.staff_id
        WHERE c.practice_id = $1 AND c.started_at >= $2 AND c.started_at < $3`,
      [practiceId, day.start, day.end],
    );

    const events: Array<{ at: Date; event: DomainEvent }> = [];
    for (const lead of leads) {
      const common = { practiceId, leadId: lead.id, channel: lead.channel, isNewPatient: lead.is_new_patient };
      events.push({
        at: lead.created_at,
        event: { name: 'LeadCreatedV1', payload: { ...common, createdAt: lead.created_at, source: lead.source } },
      });
      if (lead.do_not_contact) {
        events.push({ at: lead.created_at, event: { name: 'LeadDoNotContactV1', payload: { practiceId, leadId: lead.id, doNotContact: true } } });
      }
      if (lead.first_response_at && day.start <= lead.first_response_at && lead.first_response_at < day.end) {
        events.push({
          at: lead.first_response_at,
          event: {
            name: 'LeadRespondedV1',
            payload: {
              ...common,
              leadCreatedAt: lead.created_at,
              at: lead.first_response_at,
              staffId: lead.first_response_staff_id,
              staffName: lead.first_response_staff,
            },
          },
        });
      }
      if (lead.booked_at && day.start <= lead.booked_at && lead.booked_at < day.end) {
        events.push({
          at: lead.booked_at,
          event: {
            name: 'LeadBookedV1',
            payload: {
              ...common,
              leadCreatedAt: lead.created_at,
              at: lead.booked_at,
              value: lead.estimated_value === null ? 0 : Number(lead.estimated_value),
              staffId: lead.booked_by_staff_id ?? lead.first_response_staff_id,
              staffName: lead.booked_by_staff ?? lead.first_response_staff,
              firstResponseStaffId: lead.first_response_staff_id,
            },
          },
        });
      }
    }
    for (const row of notBooked) {
      events.push({
        at: row.at,
        event: {
          name: 'LeadNotBookedV1',
          payload: { practiceId, leadId: row.lead_id, channel: row.channel, at: row.at, reason: row.reason, staffName: row.staff },
        },
      });
    }
    for (const call of calls) {
      events.push({
        at: call.at,
        event: {
          name: 'CallChangedV1',
          payload: {
            practiceId,
            callId: call.id,
            call: { status: call.status, direction: call.direction, startedAt: call.started_at, afterHours: call.after_hours },
            at: call.at,
            staffName: call.staff,
          },
        },
      });
    }
    return events.sort((a, b) => a.at.getTime() - b.at.getTime()).map((entry) => entry.event);
  }

  private async baseline(practiceId: string, day: PracticeDay): Promise<BoardBaseline> {
    const lastWeek = day.weekBefore();
    // The hourly chart's typical band counts the same population as its bars: new-patient leads.
    const lastWeekRows: Array<{ created_at: Date }> = await this.dataSource.query(
      `SELECT created_at FROM lead
        WHERE practice_id = $1 AND is_new_patient AND created_at >= $2 AND created_at < $3 AND merged_into_lead_id IS NULL
        ORDER BY created_at`,
      [practiceId, lastWeek.start, lastWeek.end],
    );

    // Leads per wall-clock hour on each of the last weeks' same weekday (each day's own range, so
    // DST changes in between cannot shift an hour). Days with no lead at all were closed: left out.
    const weeks = Array.from({ length: TYPICAL_WEEKS }, (_, i) => day.weekBefore(i + 1));
    const perHourRows: Array<{ week: number; hour: number; leads: number }> = await this.dataSource.query(
      `SELECT w.week, extract(hour FROM l.created_at AT TIME ZONE $2)::int AS hour, count(*)::int AS leads
         FROM unnest($3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS w(day_start, day_end, week)
         JOIN lead l ON l.practice_id = $1 AND l.created_at >= w.day_start AND l.created_at < w.day_end
                    AND l.merged_into_lead_id IS NULL AND l.is_new_patient
        GROUP BY 1, 2`,
      [practiceId, day.timeZone, weeks.map((w) => w.start), weeks.map((w) => w.end)],
    );
    const openWeeks = new Set(perHourRows.map((row) => row.week));
    const countsByHour = Array.from({ length: 24 }, () => new Map<number, number>());
    for (const row of perHourRows) countsByHour[row.hour]!.set(row.week, row.leads);
    const typicalForHour = countsByHour.map((byWeek) => {
      if (openWeeks.size === 0) return { low: 0, median: 0, high: 0 };
      const counts = [...openWeeks].map((week) => byWeek.get(week) ?? 0).sort((a, b) => a - b);
      return { low: quantileSorted(counts, 0.1), median: quantileSorted(counts, 0.5), high: quantileSorted(counts, 0.9) };
    });

    return {
      lastWeekNewLeadTimes: lastWeekRows.map((row) => row.created_at.getTime()),
      typicalByHour: day.hours.map((hour) => typicalForHour[hour.hourOfDay]!),
    };
  }
}

/** Applies a domain event to a board; the one switch both the live path and the rebuild use. */
export function applyToBoard(board: PracticeBoard, event: DomainEvent): void {
  switch (event.name) {
    case 'LeadCreatedV1':
      return board.applyLeadCreated(event.payload);
    case 'LeadRespondedV1':
      return board.applyLeadResponded(event.payload);
    case 'LeadBookedV1':
      return board.applyLeadBooked(event.payload);
    case 'LeadNotBookedV1':
      return board.applyLeadNotBooked(event.payload);
    case 'CallChangedV1':
      return board.applyCallChanged(event.payload);
    case 'LeadUnmergedV1':
      // A lead of its own again: counted like a lead created then (idempotent, as every apply is).
      return board.applyLeadCreated(event.payload);
    case 'LeadDoNotContactV1':
      return board.applyLeadDoNotContact(event.payload);
    case 'LeadMergedV1': // a touch of a lead already counted
    case 'ContactAttemptedV1': // first attempts arrive as LeadRespondedV1 too
    case 'CallbacksMadeV1': // follow-up counts are counted in the database (LiveBoardService)
    case 'PracticeSettingsChangedV1': // LiveBoardService rebuilds the board
    case 'DisplayRevokedV1':
    case 'IngestKeyRevokedV1':
      return;
  }
}
