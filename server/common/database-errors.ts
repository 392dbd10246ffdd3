// Database errors as HTTP answers, in one place. A request that passes validation can still break a
// rule the schema enforces (a CHECK, a UNIQUE, a foreign key); that is the caller's input, not a
// server fault, so it answers 409 or 422 with the reason, and the transaction it ran in has rolled
// back (nothing changed). Anything not recognised here stays a 500.
//
// The constraint names are the schema's own (migrations/, PostgreSQL's generated names for the
// unnamed ones); test/common/database-errors.test.ts checks that every constraint of the migrated
// schema is in CONSTRAINT_REASONS, so a new migration cannot add one that would answer 500.
//
// Never put the failed query or its parameters in an answer or a log line: they can carry patient
// details. Only the SQLSTATE, the constraint name and a fixed reason are used.

import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableAnswer, isDatabaseUnavailable } from './database-unavailable.js';

export interface DatabaseErrorAnswer {
  status: HttpStatus;
  /** What was wrong, starting with the field when there is one ("startedAt: ..."). */
  message: string;
  /** The constraint or SQLSTATE behind it, for support. */
  rule: string;
}

/** Every constraint of the schema: the answer status and the reason in the API's words. */
export const CONSTRAINT_REASONS: Readonly<Record<string, { status: 409 | 422; reason: string }>> = {
  // practice, staff, marketing
  practice_currency_check: { status: 422, reason: 'currency: must be a three-letter ISO 4217 code' },
  practice_lead_merge_window_hours_check: { status: 422, reason: 'leadMergeWindowHours: must be between 0 and 8760' },
  practice_name_check: { status: 422, reason: 'name: must be 1 to 200 characters' },
  staff_display_name_check: { status: 422, reason: 'displayName: must be 1 to 40 characters' },
  staff_role_check: { status: 422, reason: 'role: not a staff role' },
  staff_practice_id_display_name_key: { status: 409, reason: 'displayName: a staff member of this practice already has this name' },
  staff_practice_id_id_key: { status: 409, reason: 'staff: already exists' },
  staff_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  marketing_source_name_check: { status: 422, reason: 'source: must be 1 to 200 characters' },
  marketing_source_default_channel_check: { status: 422, reason: 'channel: not a channel' },
  marketing_source_name_uq: { status: 409, reason: 'source: a source with this name already exists' },
  marketing_source_practice_id_id_key: { status: 409, reason: 'source: already exists' },
  marketing_source_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  campaign_name_check: { status: 422, reason: 'campaign: must be 1 to 200 characters' },
  campaign_name_uq: { status: 409, reason: 'campaign: a campaign with this name already exists for the source' },
  campaign_practice_id_id_key: { status: 409, reason: 'campaign: already exists' },
  campaign_practice_id_source_id_fkey: { status: 422, reason: 'source: no such source in this practice' },
  marketing_spend_month_check: { status: 422, reason: 'month: must be the first day of a month' },
  marketing_spend_amount_check: { status: 422, reason: 'amount: must not be negative' },
  marketing_spend_practice_id_source_id_campaign_id_month_key: { status: 409, reason: 'month: this source and campaign already have spend for the month' },
  marketing_spend_practice_id_source_id_fkey: { status: 422, reason: 'source: no such source in this practice' },
  marketing_spend_practice_id_campaign_id_fkey: { status: 422, reason: 'campaign: no such campaign in this practice' },
  marketing_spend_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  // leads
  lead_channel_check: { status: 422, reason: 'channel: not a channel' },
  lead_status_check: { status: 422, reason: 'status: not a lead status' },
  lead_first_response_via_check: { status: 422, reason: 'via: not a way of responding' },
  lead_not_booked_reason_check: { status: 422, reason: 'reason: not a reason for not booking' },
  lead_estimated_value_check: { status: 422, reason: 'estimatedValue: must not be negative' },
  lead_actual_value_check: { status: 422, reason: 'actualValue: must not be negative' },
  lead_check: { status: 422, reason: 'at: the first response would be before the lead was created' },
  lead_check1: { status: 422, reason: 'at: the booking would be before the lead was created' },
  lead_check2: { status: 409, reason: 'status: a booked lead needs a booking time, and only a booked lead has one' },
  lead_check3: { status: 409, reason: 'status: a lead marked not booked needs a reason, and only such a lead has one' },
  lead_not_merged_into_itself: { status: 422, reason: 'mergedIntoLeadId: a lead cannot be merged into itself' },
  lead_merged_into_fk: { status: 422, reason: 'mergedIntoLeadId: no such lead in this practice' },
  lead_external_id_uq: { status: 409, reason: 'externalId: another lead of this practice has this external id' },
  lead_practice_id_id_key: { status: 409, reason: 'lead: already exists' },
  lead_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  lead_practice_id_source_id_fkey: { status: 422, reason: 'source: no such source in this practice' },
  lead_practice_id_campaign_id_fkey: { status: 422, reason: 'campaign: no such campaign in this practice' },
  lead_practice_id_first_response_staff_id_fkey: { status: 422, reason: 'staffId: no such staff member in this practice' },
  lead_practice_id_booked_by_staff_id_fkey: { status: 422, reason: 'staffId: no such staff member in this practice' },
  lead_practice_id_assigned_staff_id_fkey: { status: 422, reason: 'assignedStaffId: no such staff member in this practice' },
  lead_merge_matched_on_check: { status: 422, reason: 'matchedOn: not a way of matching' },
  lead_merge_practice_id_lead_id_fkey: { status: 422, reason: 'leadId: no such lead in this practice' },
  lead_merge_practice_id_into_lead_id_fkey: { status: 422, reason: 'mergedIntoLeadId: no such lead in this practice' },
  lead_merge_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  lead_event_type_check: { status: 422, reason: 'type: not an event type' },
  lead_event_event_id_uq: { status: 409, reason: 'eventId: this lead already has an event with this id' },
  lead_event_practice_id_lead_id_fkey: { status: 422, reason: 'leadId: no such lead in this practice' },
  lead_event_practice_id_staff_id_fkey: { status: 422, reason: 'staffId: no such staff member in this practice' },
  contact_attempt_kind_check: { status: 422, reason: 'kind: not a kind of contact' },
  contact_attempt_outcome_check: { status: 422, reason: 'outcome: not an outcome' },
  contact_attempt_practice_id_lead_id_fkey: { status: 422, reason: 'leadId: no such lead in this practice' },
  contact_attempt_practice_id_staff_id_fkey: { status: 422, reason: 'staffId: no such staff member in this practice' },
  patient_check: { status: 422, reason: 'patient: belongs to a lead or a call' },
  patient_lead_id_key: { status: 409, reason: 'patient: the lead already has patient details' },
  patient_call_id_key: { status: 409, reason: 'patient: the call already has patient details' },
  patient_practice_id_lead_id_fkey: { status: 422, reason: 'leadId: no such lead in this practice' },
  patient_practice_id_call_id_fkey: { status: 422, reason: 'callId: no such call in this practice' },
  patient_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  // calls
  call_direction_check: { status: 422, reason: 'direction: not a call direction' },
  call_status_check: { status: 422, reason: 'status: not a call status' },
  call_wait_seconds_check: { status: 422, reason: 'waitSeconds: must not be negative' },
  call_talk_seconds_check: { status: 422, reason: 'talkSeconds: must not be negative' },
  call_callback_after_start: { status: 422, reason: 'startedAt: would be after the call back already recorded for this call' },
  call_practice_id_external_id_key: { status: 409, reason: 'externalId: another call of this practice has this external id' },
  call_practice_id_id_key: { status: 409, reason: 'call: already exists' },
  call_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  call_practice_id_lead_id_fkey: { status: 422, reason: 'leadId: no such lead in this practice' },
  call_practice_id_staff_id_fkey: { status: 422, reason: 'staffId: no such staff member in this practice' },
  // goals, keys, displays, users, integrations, audit, follow-ups
  goal_metric_check: { status: 422, reason: 'metric: not a goal metric' },
  goal_month_check: { status: 422, reason: 'month: must be the first day of a month' },
  goal_target_check: { status: 422, reason: 'target: must not be negative' },
  goal_practice_id_month_metric_key: { status: 409, reason: 'month: the practice already has this goal for the month' },
  goal_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  ingest_key_key_hash_key: { status: 409, reason: 'key: already exists' },
  ingest_key_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  display_token_token_hash_key: { status: 409, reason: 'token: already exists' },
  display_token_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  app_user_display_name_check: { status: 422, reason: 'displayName: must be 1 to 100 characters' },
  app_user_email_check: { status: 422, reason: 'email: must be 3 to 254 characters' },
  app_user_failed_attempts_check: { status: 422, reason: 'failedAttempts: must not be negative' },
  app_user_password_hash_check: { status: 422, reason: 'password: not stored as an scrypt hash' },
  app_user_role_check: { status: 422, reason: 'role: not a user role' },
  app_user_email_uq: { status: 409, reason: 'email: already has an account in this practice' },
  app_user_practice_id_id_key: { status: 409, reason: 'user: already exists' },
  app_user_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  user_session_token_hash_key: { status: 409, reason: 'session: already exists' },
  user_session_practice_id_user_id_fkey: { status: 422, reason: 'userId: no such user in this practice' },
  integration_kind_check: { status: 422, reason: 'kind: not an integration kind' },
  integration_name_check: { status: 422, reason: 'name: must be 1 to 200 characters' },
  integration_practice_id_id_key: { status: 409, reason: 'integration: already exists' },
  integration_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  webhook_delivery_delivery_id_check: { status: 422, reason: 'deliveryId: must be 1 to 200 characters' },
  webhook_delivery_integration_id_delivery_id_key: { status: 409, reason: 'deliveryId: this delivery is being processed; retry later' },
  webhook_delivery_practice_id_integration_id_fkey: { status: 422, reason: 'integration: no such integration in this practice' },
  phi_access_log_action_check: { status: 422, reason: 'action: must be 1 to 100 characters' },
  phi_access_log_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  follow_up_cadence_channel_check: { status: 422, reason: 'channel: not a channel' },
  follow_up_cadence_max_attempts_check: { status: 422, reason: 'maxAttempts: must be between 1 and 20' },
  follow_up_cadence_steps_check: { status: 422, reason: 'steps: must be a list of 1 to 20 steps' },
  follow_up_cadence_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  // the cross-process event bus's per-practice numbers (server/cluster/)
  practice_event_seq_practice_id_fkey: { status: 422, reason: 'practice: no such practice' },
  practice_event_seq_seq_check: { status: 422, reason: 'seq: must not be negative' },
};

/** SQLSTATEs of bad input that no constraint names (class 22: data exceptions; class 23: integrity). */
const SQLSTATE_REASONS: Readonly<Record<string, { status: 400 | 409 | 422; reason: string }>> = {
  '23505': { status: 409, reason: 'conflicts with an existing record' },
  '23503': { status: 422, reason: 'refers to a record that does not exist' },
  '23514': { status: 422, reason: 'breaks a rule of the data' },
  '23502': { status: 422, reason: 'a required value is missing' },
  '23P01': { status: 409, reason: 'overlaps an existing record' },
  '22001': { status: 422, reason: 'a text is too long' },
  '22003': { status: 422, reason: 'a number is out of range' },
  '22007': { status: 422, reason: 'a date or time is not valid' },
  '22008': { status: 422, reason: 'a date or time is out of range' },
  '22021': { status: 400, reason: 'a text contains a character that cannot be stored (NUL or an invalid byte sequence)' },
  '22P02': { status: 400, reason: 'a value is not in the expected format' },
  '22P05': { status: 400, reason: 'a text contains a character that cannot be stored' },
  '54000': { status: 422, reason: 'a value is too large' },
};

interface DriverError {
  code?: unknown;
  constraint?: unknown;
}

function driverErrorOf(error: unknown): DriverError | null {
  if (error instanceof QueryFailedError) return (error.driverError ?? error) as DriverError;
  if (error !== null && typeof error === 'object' && 'code' in error && typeof (error as DriverError).code === 'string') {
    // pg's DatabaseError and PGlite's, when not wrapped by TypeORM (raw client queries).
    return error;
  }
  return null;
}

/** The HTTP answer for a database error caused by the request's input; null when it is not one. */
export function describeDatabaseError(error: unknown): DatabaseErrorAnswer | null {
  const driver = driverErrorOf(error);
  if (!driver || typeof driver.code !== 'string') return null;
  const constraint = typeof driver.constraint === 'string' ? driver.constraint : null;
  const known = constraint ? CONSTRAINT_REASONS[constraint] : undefined;
  if (known) return { status: known.status, message: known.reason, rule: constraint! };
  const bySqlState = SQLSTATE_REASONS[driver.code];
  if (bySqlState) return { status: bySqlState.status, message: bySqlState.reason, rule: constraint ?? `SQLSTATE ${driver.code}` };
  return null;
}

const ERROR_NAMES: Partial<Record<number, string>> = { 400: 'Bad Request', 409: 'Conflict', 422: 'Unprocessable Entity' };

/** The answer as an HttpException (for code that reports errors rather than answering them). */
export function databaseErrorAsHttp(error: unknown): HttpException | null {
  const answer = describeDatabaseError(error);
  if (!answer) return null;
  return new HttpException(
    { statusCode: answer.status, error: ERROR_NAMES[answer.status] ?? 'Error', message: answer.message, rule: answer.rule },
    answer.status,
  );
}

/**
 * The app-wide filter for database errors: a database that cannot be reached or cannot serve now is
 * a 503 with Retry-After (database-unavailable.ts); input the schema refuses is a 4xx with the reason;
 * the rest goes to Nest's own handling (a 500, logged without the query's parameters).
 */
@Catch()
export class DatabaseErrorFilter extends BaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DatabaseErrors');
  private readonly unavailable = new DatabaseUnavailableAnswer();

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      if (!(exception instanceof QueryFailedError)) return super.catch(exception, host);
      // A board socket's handler: there is no HTTP answer to give; logged, the socket stays up.
      const code = driverErrorOf(exception)?.code;
      this.logger.error(`database error in a ${host.getType()} handler (SQLSTATE ${typeof code === 'string' ? code : '?'})`);
      return;
    }
    if (isDatabaseUnavailable(exception)) return this.unavailable.send(exception, host.switchToHttp().getResponse<Response>());
    if (!(exception instanceof QueryFailedError)) return super.catch(exception, host);
    const http = databaseErrorAsHttp(exception);
    if (http) {
      this.logger.warn(`refused by the database: ${(http.getResponse() as { rule: string }).rule}`);
      return super.catch(http, host);
    }
    // Only the driver's message and code: QueryFailedError's own message is fine, but its `query`
    // and `parameters` properties must never reach a log (Nest logs the stack, which has neither).
    const driver = driverErrorOf(exception);
    this.logger.error(`database error${typeof driver?.code === 'string' ? ` (SQLSTATE ${driver.code})` : ''}`);
    return super.catch(exception, host);
  }
}
