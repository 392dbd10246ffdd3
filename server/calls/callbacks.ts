// "Did anyone call them back?" A missed inbound call (missed, voicemail, abandoned) is called back by
// the first outbound call to the same number or about the same lead, or by a call attempt logged on its
// lead, within CALLBACK_WINDOW of the miss. Ingest records it on the missed call (callback_at,
// callback_call_id) as it happens, so the follow-up queue, the board and the missed-calls report read
// a column instead of searching call history.
//
// "First" is by the calls' own times, whatever order the phone system delivers them in: a call back
// recorded from both sides. recordCallback runs when a call back arrives (it marks the missed calls it
// answers, replacing a later call back already recorded), and findCallback runs when a missed call
// arrives or changes (it looks for call backs already stored). Either order gives the same row.

import type { Tx } from '../database/unit-of-work.js';
import { PHONE_KEY_SQL } from '../patients/phone-key.js';

/** A call back later than this is a new conversation, not an answer to the missed call. */
export const CALLBACK_WINDOW_DAYS = 7;

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
        AND (c.callback_at IS NULL OR c.callback_at > $2)
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

/**
 * The other order: a missed inbound call that arrives (or becomes missed, or moves) after its call back
 * was stored. Finds the earliest outbound call to its number or about its lead, or call attempt or
 * call response logged on its lead (or on a lead with its number), from its start to CALLBACK_WINDOW
 * after, and records it, the same rule as recordCallback. Clears a call back that no longer fits (the
 * call was answered after all, or its start moved past it). Returns whether the row changed.
 */
export async function findCallback(tx: Tx, practiceId: string, callId: string): Promise<boolean> {
  const rows: Array<{ id: string; callback_at: Date | null }> = await tx.manager.query(
    `WITH m AS (
       SELECT c.id, c.started_at, c.lead_id, c.callback_at, c.callback_call_id,
              c.direction = 'inbound' AND c.status IN ('missed', 'voicemail', 'abandoned') AS unanswered,
              (SELECT p.phone_key FROM patient p WHERE p.practice_id = $1 AND p.call_id = c.id AND p.phone_key IS NOT NULL LIMIT 1) AS phone_key
         FROM call c
        WHERE c.practice_id = $1 AND c.id = $2
     ),
     -- Leads the caller is known as: the call's own lead and any lead with the caller's number.
     leads AS (
       SELECT m.lead_id AS id FROM m WHERE m.lead_id IS NOT NULL
       UNION
       SELECT p.lead_id FROM m JOIN patient p ON p.practice_id = $1 AND p.phone_key = m.phone_key AND p.lead_id IS NOT NULL
     ),
     candidates AS (
       SELECT o.started_at AS at, o.id AS call_id
         FROM m JOIN call o ON o.practice_id = $1 AND o.direction = 'outbound'
                           AND o.started_at >= m.started_at
                           AND o.started_at < m.started_at + make_interval(days => ${CALLBACK_WINDOW_DAYS})
        WHERE m.unanswered
          AND (o.lead_id IN (SELECT id FROM leads)
               OR EXISTS (SELECT 1 FROM patient op WHERE op.practice_id = $1 AND op.call_id = o.id AND op.phone_key = m.phone_key))
       UNION ALL
       SELECT a.at, NULL::uuid
         FROM m JOIN contact_attempt a ON a.practice_id = $1 AND a.kind = 'call'
                           AND a.at >= m.started_at AND a.at < m.started_at + make_interval(days => ${CALLBACK_WINDOW_DAYS})
        WHERE m.unanswered AND a.lead_id IN (SELECT id FROM leads)
       UNION ALL
       SELECT e.at, NULL::uuid
         FROM m JOIN lead_event e ON e.practice_id = $1 AND e.type = 'responded' AND e.detail->>'via' = 'call'
                           AND e.at >= m.started_at AND e.at < m.started_at + make_interval(days => ${CALLBACK_WINDOW_DAYS})
        WHERE m.unanswered AND e.lead_id IN (SELECT id FROM leads)
     ),
     first AS (SELECT at, call_id FROM candidates ORDER BY at, call_id NULLS LAST LIMIT 1)
     UPDATE call c
        SET callback_at = f.at, callback_call_id = f.call_id, updated_at = now()
       FROM m LEFT JOIN first f ON true
      WHERE c.id = m.id
        AND (c.callback_at IS DISTINCT FROM f.at OR c.callback_call_id IS DISTINCT FROM f.call_id)
      RETURNING c.id, c.callback_at`,
    [practiceId, callId],
  );
  const row = rows[0];
  if (!row) return false;
  if (row.callback_at) tx.publish({ name: 'CallbacksMadeV1', payload: { practiceId, callIds: [row.id], at: row.callback_at } });
  return true;
}
