// Twilio voice status callbacks mapped onto the call API (POST /api/v1/calls semantics): one call per
// CallSid, merged by CallsService, so retries and out-of-order callbacks never double-count.
// The mapping table is in the README ("Integrations").

import { z } from 'zod';
import type { CallDirection, CallStatus } from '../domain/domain.contract.js';
import { MAX_CLOCK_SKEW_MS } from '../common/api-fields.js';

export const TWILIO_CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type TwilioCallStatus = (typeof TWILIO_CALL_STATUSES)[number];

const single = z.string().trim();

/** The parameters used; Twilio sends many more, all of which are signed and then ignored. */
export const twilioVoiceStatusSchema = z.object({
  CallSid: single.min(1).max(64),
  CallStatus: z.enum(TWILIO_CALL_STATUSES),
  Direction: single.max(40).optional(),
  From: single.max(40).optional(),
  To: single.max(40).optional(),
  CallDuration: z
    .string()
    .regex(/^\d{1,6}$/, { message: 'must be a whole number of seconds' })
    .transform(Number)
    .optional(),
  Timestamp: single.max(100).optional(),
});
export type TwilioVoiceStatus = z.infer<typeof twilioVoiceStatusSchema>;

/** What the wallboard already knows of this CallSid, if anything. */
export interface KnownCall {
  status: CallStatus;
  startedAt: Date;
  answeredAt: Date | null;
}

/** The body for the call API (as JSON-able values, validated with callSchema afterwards). */
export interface MappedCall {
  externalId: string;
  direction: CallDirection;
  status: CallStatus;
  startedAt?: string;
  answeredAt?: string;
  endedAt?: string;
  waitSeconds?: number;
  talkSeconds?: number;
  from?: string;
}

export function twilioDirection(direction: string | undefined): CallDirection {
  // 'outbound-api' (REST API) and 'outbound-dial' (a <Dial> leg) are calls the practice places.
  return direction?.startsWith('outbound') ? 'outbound' : 'inbound';
}

/** The event's time: Twilio's RFC 2822 `Timestamp`, or now when absent or unreadable; never later than now. */
export function eventTime(timestamp: string | undefined, now: Date): Date {
  const parsed = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(parsed) || parsed > now.getTime() + MAX_CLOCK_SKEW_MS) return now;
  return new Date(Math.min(parsed, now.getTime()));
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

function patientNumber(params: TwilioVoiceStatus, direction: CallDirection): string | undefined {
  const number = direction === 'inbound' ? params.From : params.To;
  // Withheld numbers arrive as "anonymous", "Restricted" or empty: nothing worth storing.
  return number && /^\+?\d[\d\s()-]{2,39}$/.test(number) ? number : undefined;
}

/** One status callback as a call message. `known` is the stored call (null on first sight): a
 * completed call that was seen in progress stays answered even when Twilio reports CallDuration 0,
 * and startedAt is only sent on first sight so a later callback never moves it. */
export function mapTwilioStatus(params: TwilioVoiceStatus, known: KnownCall | null, now: Date = new Date()): MappedCall {
  const direction = twilioDirection(params.Direction);
  const at = eventTime(params.Timestamp, now);
  const duration = params.CallDuration;
  const call: MappedCall = { externalId: params.CallSid, direction, status: 'ringing' };
  const firstSight = known === null;

  switch (params.CallStatus) {
    case 'queued':
    case 'ringing':
      call.status = 'ringing';
      if (firstSight) call.startedAt = at.toISOString();
      break;
    case 'in-progress': {
      call.status = 'answered';
      const answeredAt = known?.answeredAt ?? at;
      if (firstSight) call.startedAt = answeredAt.toISOString();
      if (!known?.answeredAt) call.answeredAt = answeredAt.toISOString();
      if (known) call.waitSeconds = seconds(known.startedAt, answeredAt);
      break;
    }
    case 'completed': {
      const answered = (duration ?? 0) > 0 || known?.status === 'answered' || known?.answeredAt != null;
      call.endedAt = at.toISOString();
      if (answered) {
        call.status = 'answered';
        const answeredAt = known?.answeredAt ?? new Date(at.getTime() - (duration ?? 0) * 1000);
        if (firstSight) call.startedAt = answeredAt.toISOString();
        if (!known?.answeredAt) call.answeredAt = answeredAt.toISOString();
        if (known) call.waitSeconds = seconds(known.startedAt, answeredAt);
        call.talkSeconds = duration ?? seconds(answeredAt, at);
      } else {
        // Ended without ever being connected: an inbound caller hung up first; an outbound call went unanswered.
        call.status = direction === 'inbound' ? 'abandoned' : 'missed';
        if (firstSight) call.startedAt = at.toISOString();
        if (known) call.waitSeconds = seconds(known.startedAt, at);
      }
      break;
    }
    case 'canceled':
      // Hung up while queued or ringing.
      call.status = direction === 'inbound' ? 'abandoned' : 'missed';
      call.endedAt = at.toISOString();
      if (firstSight) call.startedAt = at.toISOString();
      if (known) call.waitSeconds = seconds(known.startedAt, at);
      break;
    case 'busy':
    case 'failed':
    case 'no-answer':
      call.status = 'missed';
      call.endedAt = at.toISOString();
      if (firstSight) call.startedAt = at.toISOString();
      if (known) call.waitSeconds = seconds(known.startedAt, at);
      break;
  }
  const from = firstSight ? patientNumber(params, direction) : undefined;
  if (from !== undefined) call.from = from;
  return call;
}
