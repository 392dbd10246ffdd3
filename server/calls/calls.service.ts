// Phone calls as the phone system reports them: one row per call id, however many messages arrive
// for it (ringing, then answered; retries; messages out of order).

import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CallStatus } from '../domain/domain.contract.js';
import { returningRows } from '../database/returning-rows.js';
import type { Tx } from '../database/unit-of-work.js';
import type { CallInput } from './call.schema.js';
import type { IngestResult } from '../common/ingest-result.js';
import { requireLeadOfPractice } from '../leads/lead-of-practice.js';
import { PatientsService } from '../patients/patients.service.js';
import { practiceCalendar, type CalendarPractice } from '../practices/practice-calendar.js';
import { staffOfPractice } from '../practices/practice-staff.js';
import { PracticesService } from '../practices/practices.service.js';
import { Call } from './call.entity.js';
import { findCallback, recordCallback, type CallbackFacts } from './callbacks.js';
import { isUnanswered, UNANSWERED_CALL_STATUSES } from '../metrics/metrics.definitions.js';

export interface CallView {
  id: string;
  externalId: string;
  direction: Call['direction'];
  status: CallStatus;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  staffId: string | null;
  leadId: string | null;
  isNewPatient: boolean | null;
  afterHours: boolean;
}

function toView(call: Call): CallView {
  return {
    id: call.id,
    externalId: call.externalId,
    direction: call.direction,
    status: call.status,
    startedAt: call.startedAt.toISOString(),
    answeredAt: call.answeredAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    waitSeconds: call.waitSeconds,
    talkSeconds: call.talkSeconds,
    staffId: call.staffId,
    leadId: call.leadId,
    isNewPatient: call.isNewPatient,
    afterHours: call.afterHours,
  };
}

/** `ringing` is the only non-final status: a late "ringing" never undoes an outcome, while a later
 * outcome replaces an earlier one (phone systems do send corrections). */
function nextStatus(current: CallStatus, incoming: CallStatus): CallStatus {
  return incoming === 'ringing' && current !== 'ringing' ? current : incoming;
}

const MERGED_FIELDS = ['direction', 'answeredAt', 'endedAt', 'waitSeconds', 'talkSeconds', 'staffId', 'leadId', 'isNewPatient'] as const;

/** Opening hours change rarely; a minute's staleness only shifts the after-hours flag of a call. */
const PRACTICE_HOURS_TTL_MS = 60_000;

@Injectable()
export class CallsService {
  constructor(
    private readonly patients: PatientsService,
    private readonly dataSource: DataSource,
    private readonly practices: PracticesService,
  ) {}

  private readonly hours = new Map<string, { practice: CalendarPractice; until: number }>();

  private async practiceHours(manager: EntityManager, practiceId: string): Promise<CalendarPractice> {
    const cached = this.hours.get(practiceId);
    if (cached && cached.until > Date.now()) return cached.practice;
    const practice = await this.practices.getPractice(practiceId, manager);
    this.hours.set(practiceId, { practice, until: Date.now() + PRACTICE_HOURS_TTL_MS });
    return practice;
  }

  /** What is stored of a call, by the phone system's id (null: not seen yet): for interpreting a
   * phone system's status callback before it is merged (see integrations/twilio-status.ts). */
  findKnownCall(practiceId: string, externalId: string): Promise<Pick<Call, 'status' | 'startedAt' | 'answeredAt'> | null> {
    return this.dataSource.getRepository(Call).findOne({ where: { practiceId, externalId }, select: { status: true, startedAt: true, answeredAt: true } });
  }

  /** A call back made outside the phone system's calls (a lead's call response or call attempt): marks
   * the missed calls it answers (see callbacks.ts). */
  recordCallback(tx: Tx, facts: CallbackFacts): Promise<string[]> {
    return recordCallback(tx, facts);
  }

  async upsert(tx: Tx, practiceId: string, input: CallInput): Promise<IngestResult<CallView>> {
    const { manager } = tx;
    const staff = await staffOfPractice(manager, practiceId, input.staffId, 'staffId');
    await requireLeadOfPractice(manager, practiceId, input.leadId, 'leadId');

    const startedAt = input.startedAt ?? new Date();
    const practice = await this.practiceHours(manager, practiceId);
    // First sight of the call inserts it; a concurrent or later message for it finds the row instead.
    const inserted: Array<{ id: string; after_hours: boolean; updated_at: Date }> = await manager.query(
      `INSERT INTO call (practice_id, external_id, direction, status, started_at, answered_at, ended_at, wait_seconds,
                         talk_seconds, staff_id, lead_id, is_new_patient, after_hours, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
       ON CONFLICT (practice_id, external_id) DO NOTHING
       RETURNING id, after_hours, updated_at`,
      [
        practiceId,
        input.externalId,
        input.direction,
        input.status,
        startedAt,
        input.answeredAt ?? null,
        input.endedAt ?? null,
        input.waitSeconds ?? null,
        input.talkSeconds ?? null,
        input.staffId ?? null,
        input.leadId ?? null,
        input.isNewPatient ?? null,
        !practiceCalendar(practice).isOpenAt(startedAt),
      ],
    );

    if (inserted.length === 1) {
      const call = manager.create(Call, {
        id: inserted[0]!.id,
        practiceId,
        externalId: input.externalId,
        direction: input.direction,
        status: input.status,
        startedAt,
        answeredAt: input.answeredAt ?? null,
        endedAt: input.endedAt ?? null,
        waitSeconds: input.waitSeconds ?? null,
        talkSeconds: input.talkSeconds ?? null,
        staffId: input.staffId ?? null,
        leadId: input.leadId ?? null,
        isNewPatient: input.isNewPatient ?? null,
        afterHours: inserted[0]!.after_hours,
        updatedAt: inserted[0]!.updated_at,
      });
      if (input.from !== undefined) await this.patients.addForCall(manager, practiceId, call.id, input.from);
      if (call.direction === 'outbound') {
        await recordCallback(tx, { practiceId, at: call.startedAt, callId: call.id, leadId: call.leadId, phone: input.from ?? null });
      } else if (isUnanswered(call.status)) {
        // Its call back may already be here (the phone system sent the outbound call first).
        await findCallback(tx, practiceId, call.id);
      }
      tx.publish({
        name: 'CallChangedV1',
        payload: {
          practiceId,
          callId: call.id,
          call: { status: call.status, direction: call.direction, startedAt: call.startedAt, afterHours: call.afterHours },
          at: call.endedAt ?? call.answeredAt ?? call.startedAt,
          staffName: staff?.displayName ?? null,
        },
      });
      return { created: true, value: toView(call) };
    }

    const call = await manager
      .createQueryBuilder(Call, 'call')
      .setLock('pessimistic_write')
      .where('call.practice_id = :practiceId AND call.external_id = :externalId', { practiceId, externalId: input.externalId })
      .getOneOrFail();
    let changed = false;
    const before = { status: call.status, startedAt: call.startedAt.getTime(), leadId: call.leadId };
    const status = nextStatus(call.status, input.status);
    if (status !== call.status) {
      call.status = status;
      changed = true;
    }
    if (input.startedAt !== undefined && input.startedAt.getTime() !== call.startedAt.getTime()) {
      call.startedAt = input.startedAt;
      call.afterHours = !practiceCalendar(practice).isOpenAt(input.startedAt);
      changed = true;
    }
    for (const field of MERGED_FIELDS) {
      const value = input[field];
      if (value === undefined) continue;
      const current = call[field];
      const same = value instanceof Date && current instanceof Date ? value.getTime() === current.getTime() : value === current;
      if (!same) {
        (call as unknown as Record<string, unknown>)[field] = value;
        changed = true;
      }
    }
    if (!changed) return { created: false, value: toView(call) };

    call.updatedAt = new Date();
    // A start moved past its recorded call back would break call_callback_after_start: drop it here and
    // let findCallback look again below.
    if (call.callbackAt && call.callbackAt < call.startedAt) {
      call.callbackAt = null;
      call.callbackCallId = null;
    }
    const { id, practiceId: _practice, externalId: _external, ...changes } = call;
    await manager.update(Call, { id }, changes);
    const matchingChanged = before.status !== call.status || before.startedAt !== call.startedAt.getTime() || before.leadId !== call.leadId;
    if (call.direction === 'inbound' && matchingChanged) await findCallback(tx, practiceId, call.id);
    tx.publish({
      name: 'CallChangedV1',
      payload: {
        practiceId,
        callId: call.id,
        call: { status: call.status, direction: call.direction, startedAt: call.startedAt, afterHours: call.afterHours },
        at: call.endedAt ?? call.answeredAt ?? call.startedAt,
        staffName: staff?.displayName ?? null,
      },
    });
    return { created: false, value: toView(call) };
  }

  /**
   * Records that a missed inbound call was called back (e.g. from a phone the system does not see): at
   * `at`, or without one now, never before the call started (clock skew between the phone system and
   * us). Repeating it changes nothing: a call back already recorded (by anyone, ingest too) stands.
   */
  async markCalledBack(tx: Tx, practiceId: string, callId: string, at: Date | undefined, now: Date): Promise<{ callbackAt: Date; changed: boolean }> {
    const { manager } = tx;
    const [call]: Array<{ direction: string; status: string; started_at: Date; callback_at: Date | null }> = await manager.query(
      `SELECT direction, status, started_at, callback_at FROM call WHERE id = $1 AND practice_id = $2`,
      [callId, practiceId],
    );
    if (!call) throw new NotFoundException(`call ${callId} not found`);
    if (call.direction !== 'inbound' || !(UNANSWERED_CALL_STATUSES as readonly string[]).includes(call.status)) {
      throw new ConflictException(`only a missed inbound call can be called back (this call is ${call.direction}, ${call.status})`);
    }
    if (call.callback_at) return { callbackAt: call.callback_at, changed: false };
    if (at && at < call.started_at) {
      throw new UnprocessableEntityException(`at: ${at.toISOString()} is before the call started (${call.started_at.toISOString()})`);
    }
    const callbackAt = at ?? (now < call.started_at ? call.started_at : now);
    const updated = returningRows<{ callback_at: Date }>(
      await manager.query(
        `UPDATE call SET callback_at = $3, updated_at = now()
          WHERE id = $1 AND practice_id = $2 AND callback_at IS NULL RETURNING callback_at`,
        [callId, practiceId, callbackAt],
      ),
    );
    const row = updated[0];
    if (row) {
      // The same event ingest publishes for a call back it sees: the board recounts its missed calls.
      tx.publish({ name: 'CallbacksMadeV1', payload: { practiceId, callIds: [callId], at: callbackAt } });
      return { callbackAt: row.callback_at, changed: true };
    }
    // Someone (or ingest) called back in between: theirs stands.
    const [again]: Array<{ callback_at: Date }> = await manager.query(`SELECT callback_at FROM call WHERE id = $1`, [callId]);
    return { callbackAt: again!.callback_at, changed: false };
  }
}
