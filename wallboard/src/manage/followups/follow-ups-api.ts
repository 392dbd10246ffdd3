// The follow-up page's calls to the server: the queue, the cadences, who is signed in, and the three
// actions (POSTs). Each returns the request's promise; the page decides what a failure means.

import type { ContactKind, ContactOutcome } from '$contracts/domain/domain';
import type { CadencesV1, FollowUpQueueV1 } from '$contracts/followups/followups';
import { ME_PATH, requestJson, type Credentials, type Session } from '../lib/api.js';
import { CADENCES_PATH, QUEUE_PATH } from './queue.js';

/** The body of "log an attempt"; `staffId` only when someone is chosen in "Attempts by". */
export interface AttemptRequest {
  kind: ContactKind;
  outcome: ContactOutcome;
  /** Makes a retried POST count once (see newEventId). */
  eventId: string;
  staffId?: string;
}

export function fetchQueue(auth: Credentials): Promise<FollowUpQueueV1> {
  return requestJson<FollowUpQueueV1>(QUEUE_PATH, auth);
}

export function fetchCadences(auth: Credentials): Promise<CadencesV1> {
  return requestJson<CadencesV1>(CADENCES_PATH, auth);
}

/** The signed-in person's display name (only a session has one; a key has no person behind it). */
export async function fetchSignedInName(auth: Credentials): Promise<string> {
  const me = await requestJson<Pick<Session, 'user'>>(ME_PATH, auth);
  return me.user.displayName;
}

export function postAttempt(auth: Credentials, leadId: string, attempt: AttemptRequest): Promise<unknown> {
  return requestJson(`/api/v1/follow-ups/leads/${leadId}/attempts`, auth, { method: 'POST', body: attempt });
}

export function postDoNotContact(auth: Credentials, leadId: string): Promise<unknown> {
  return requestJson(`/api/v1/follow-ups/leads/${leadId}/do-not-contact`, auth, { method: 'POST', body: {} });
}

export function postCalledBack(auth: Credentials, callId: string): Promise<unknown> {
  return requestJson(`/api/v1/follow-ups/calls/${callId}/called-back`, auth, { method: 'POST', body: {} });
}
