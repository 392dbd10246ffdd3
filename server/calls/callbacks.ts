// "Did anyone call them back?" A missed inbound call (missed, voicemail, abandoned) is called back by
// the first outbound call to the same number or about the same lead, or by a call attempt logged on its
// lead, within CALLBACK_WINDOW of the miss. Ingest records it on the missed call (callback_at,
// callback_call_id) as it happens, so the follow-up queue, the board and the missed-calls report read
// a column instead of searching call history.

import type { Tx } from '../database/unit-of-work.js';

/** A call back later than this is a new conversation, not an answer to the missed call. */
export const CALLBACK_WINDOW_DAYS = 7;

/** The number's last 9 digits, or null when it has fewer than 7: the same rule as patient.phone_key. */
export const PHONE_KEY_SQL = (placeholder: string) =>
  `(CASE WHEN length(regexp_replace(${placeholder}::text, '\\D', '', 'g')) >= 7
         THEN right(regexp_replace(${placeholder}::text, '\\D', '', 'g'), 9) END)`;

export interface CallbackFacts {
  practiceId: string;
  /** When the practice called (or tried to call) back. */
  at: Date;
  /** The outbound call that did it, when it was a call the phone system reported. */
  callId: string | null;
  /** The lead called back about, if known. */
  leadId: string | null;
  /** The number called, if known. */
  phone: string | null;
}

/** Marks every missed inbound call this call back answers; publishes CallbacksMadeV1 for them. */
export async function recordCallback(tx: Tx, facts: CallbackFacts): Promise<string[]> {
  if (facts.leadId === null && facts.phone === null) return [];
  const rows: Array<{ id: string }> = await tx.manager.query(
    `WITH numbers AS (
       SELECT ${PHONE_KEY_SQL('$5')} AS phone_key
       UNION
       SELECT p.phone_key FROM patient p WHERE $4::uuid IS NOT NULL AND p.practice_id = $1 AND p.lead_id = $4::uuid
     )
     UPDATE call c
        SET callback_at = $2, callback_call_id = $3::uuid, updated_at = now()
      WHERE c.practice_id = $1
        AND c.direction = 'inbound'
        AND c.status IN ('missed', 'voicemail', 'abandoned')
        AND c.callback_at IS NULL
        AND c.started_at <= $2
        AND c.started_at > $2::timestamptz - make_interval(days => ${CALLBACK_WINDOW_DAYS})
        AND (c.id IS DISTINCT FROM $3::uuid)
        AND ((c.lead_id IS NOT NULL AND c.lead_id = $4::uuid)
             OR c.id IN (SELECT p.call_id FROM patient p JOIN numbers n ON p.phone_key = n.phone_key
                          WHERE p.practice_id = $1 AND p.call_id IS NOT NULL))
      RETURNING c.id`,
    [facts.practiceId, facts.at, facts.callId, facts.leadId, facts.phone],
  );
  const callIds = rows.map((row) => row.id);
  if (callIds.length > 0) tx.publish({ name: 'CallbacksMadeV1', payload: { practiceId: facts.practiceId, callIds, at: facts.at } });
  return callIds;
}
