// Committed domain events for every server process, through PostgreSQL LISTEN/NOTIFY.
//
// Publishing (UnitOfWork, on a PostgreSQL server): inside the transaction that made the change, per
// practice, one statement bumps practice_event_seq and sends NOTIFY lw_events with the practice's
// events and the new number. PostgreSQL delivers a notification only when (and if) its transaction
// commits, to every listening session, in commit order; the row lock of the bump orders one
// practice's commits, so a listener sees a practice's numbers in order: n, n+1, ...
//
// Receiving (ClusterEventListener, in every server process, the publisher's own included): one
// dedicated connection LISTENs; each notification is applied once (a number already seen is
// dropped), and a number that skips (n+2 after n) or a notification too large to carry its events
// tells the boards that events were missed: they rebuild that practice from the database. A lost
// LISTEN connection is re-opened, and every board is then rebuilt (anything may have been missed).
//
// Payloads stay small: ids, enums, times, staff display names; never a patient detail (domain
// events carry none). PostgreSQL's limit is 8000 bytes; a larger batch sends its number only.

import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { DomainEvent } from '../events/domain-events.js';

export const EVENT_CHANNEL = 'lw_events';
/** Room for the envelope under PostgreSQL's 8000-byte NOTIFY limit. */
export const MAX_EVENTS_JSON = 7500;
/** Tells a process its own notifications from its peers' (for the lag metric's `origin` label). */
export const PROCESS_ORIGIN = randomUUID().slice(0, 8);

export interface EventNotification {
  practiceId: string;
  seq: number;
  /** Publisher's clock just before COMMIT (ms). */
  committedAt: number;
  origin: string;
  /** null: too many to carry; the receiver rebuilds the practice from the database. */
  events: DomainEvent[] | null;
}

/** Payload fields that are dates (JSON carries them as ISO strings). Every Date in DomainEventMap is
 * under one of these names; event-bus.spec.ts round-trips one event of each kind to keep it so. */
const DATE_FIELDS = new Set(['createdAt', 'leadCreatedAt', 'at', 'startedAt']);

function reviveDates(key: string, value: unknown): unknown {
  return typeof value === 'string' && DATE_FIELDS.has(key) ? new Date(value) : value;
}

/** Bumps each practice's number and queues its NOTIFY; called inside the transaction, last. Practices
 * are taken in id order so two transactions over the same practices cannot deadlock on the bumps.
 * Returns the numbers given, for the publisher to wait for its own delivery after the commit. */
export async function notifyInTransaction(manager: EntityManager, events: readonly DomainEvent[]): Promise<Array<{ practiceId: string; seq: number }>> {
  const receipts: Array<{ practiceId: string; seq: number }> = [];
  const byPractice = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const list = byPractice.get(event.payload.practiceId) ?? [];
    list.push(event);
    byPractice.set(event.payload.practiceId, list);
  }
  for (const practiceId of [...byPractice.keys()].sort()) {
    const json = JSON.stringify(byPractice.get(practiceId));
    const rows: Array<{ seq: string | number }> = await manager.query(
      `WITH bumped AS (
         INSERT INTO practice_event_seq AS s (practice_id, seq) VALUES ($1, 1)
         ON CONFLICT (practice_id) DO UPDATE SET seq = s.seq + 1
         RETURNING seq
       )
       SELECT bumped.seq, pg_notify($2, json_build_object('p', $1::text, 's', bumped.seq, 't', $3::bigint, 'o', $4::text, 'e', $5::json)::text)
         FROM bumped`,
      [practiceId, EVENT_CHANNEL, Date.now(), PROCESS_ORIGIN, Buffer.byteLength(json) <= MAX_EVENTS_JSON ? json : null],
    );
    receipts.push({ practiceId, seq: Number(rows[0]?.seq) });
  }
  return receipts;
}

/** Parses a notification's payload; null for anything malformed (logged by the caller, never applied). */
export function decodeNotification(payload: string | undefined): EventNotification | null {
  if (!payload) return null;
  try {
    const raw = JSON.parse(payload, reviveDates) as { p?: unknown; s?: unknown; t?: unknown; o?: unknown; e?: unknown };
    if (typeof raw.p !== 'string' || typeof raw.s !== 'number' || typeof raw.t !== 'number') return null;
    return {
      practiceId: raw.p,
      seq: raw.s,
      committedAt: raw.t,
      origin: typeof raw.o === 'string' ? raw.o : '',
      events: Array.isArray(raw.e) ? (raw.e as DomainEvent[]) : null,
    };
  } catch {
    return null;
  }
}

export type Delivery = { apply: boolean; missed: boolean };

/** Per-practice sequence bookkeeping of one listening connection: what to do with number `seq`. */
export class SequenceTracker {
  private readonly last = new Map<string, number>();

  /** apply: not seen before; missed: one or more numbers before it never arrived. */
  accept(practiceId: string, seq: number): Delivery {
    const last = this.last.get(practiceId);
    if (last !== undefined && seq <= last) return { apply: false, missed: false };
    this.last.set(practiceId, seq);
    return { apply: true, missed: last !== undefined && seq > last + 1 };
  }

  /** A new connection: numbers seen on the old one say nothing about what was missed in between. */
  reset(): void {
    this.last.clear();
  }
}
