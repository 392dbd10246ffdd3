// Typed domain events, published after the transaction that caused them has committed. The live
// board listens to them; nothing is published for work that rolled back.
//
// Versioned names: a payload change adds a V2 event, it never edits V1.

import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type { CallDirection, CallStatus, Channel, NotBookedReason } from '../domain/domain.contract.js';

export interface LeadCreatedV1 {
  practiceId: string;
  leadId: string;
  createdAt: Date;
  channel: Channel;
  source: string | null;
  isNewPatient: boolean;
}

export interface LeadRespondedV1 {
  practiceId: string;
  leadId: string;
  leadCreatedAt: Date;
  channel: Channel;
  isNewPatient: boolean;
  at: Date;
  staffId: string | null;
  staffName: string | null;
}

export interface LeadBookedV1 {
  practiceId: string;
  leadId: string;
  leadCreatedAt: Date;
  channel: Channel;
  isNewPatient: boolean;
  at: Date;
  value: number;
  /** Who gets the credit: the staff who booked, else who responded first. */
  staffId: string | null;
  staffName: string | null;
  /** Who responded first: their "leads handled" gains a booking. */
  firstResponseStaffId: string | null;
}

export interface LeadNotBookedV1 {
  practiceId: string;
  leadId: string;
  channel: Channel;
  at: Date;
  reason: NotBookedReason;
  staffName: string | null;
}

export interface CallSnapshot {
  status: CallStatus;
  direction: CallDirection;
  startedAt: Date;
  /** Started outside the practice's opening hours (call.after_hours): counted apart from the missed rate. */
  afterHours: boolean;
}

/** A call appeared or changed; `call` is its state now. Consumers keep what they last saw of a call
 * themselves (keyed by callId), so a repeated or reordered event can never count twice. */
export interface CallChangedV1 {
  practiceId: string;
  callId: string;
  call: CallSnapshot;
  /** When the latest change happened: the call's end, else its answer, else its start. */
  at: Date;
  staffName: string | null;
}

/** A later lead turned out to be the same person as an earlier one: it is a touch of `intoLeadId`,
 * not a new lead (nothing on the board counts it). */
export interface LeadMergedV1 {
  practiceId: string;
  leadId: string;
  intoLeadId: string;
  at: Date;
}

/** A merge was undone: `leadId` is a lead of its own again, created at `createdAt`. */
export interface LeadUnmergedV1 {
  practiceId: string;
  leadId: string;
  createdAt: Date;
  channel: Channel;
  source: string | null;
  isNewPatient: boolean;
}

/** A contact attempt was logged on a lead (the first one also gives a LeadRespondedV1). */
export interface ContactAttemptedV1 {
  practiceId: string;
  leadId: string;
  at: Date;
}

/** The person asked not to be contacted (or, with doNotContact false, that was lifted): no follow-ups,
 * and the lead no longer waits for a first contact on the board. */
export interface LeadDoNotContactV1 {
  practiceId: string;
  leadId: string;
  doNotContact: boolean;
}

/** Missed inbound calls that have now been called back. */
export interface CallbacksMadeV1 {
  practiceId: string;
  callIds: string[];
  at: Date;
}

/** An admin changed the practice's settings (name, time zone, hours, thresholds...): boards rebuild. */
export interface PracticeSettingsChangedV1 {
  practiceId: string;
}

export interface DisplayRevokedV1 {
  practiceId: string;
  displayTokenId: string;
}

/** An ingest key was revoked: every process drops it from its key cache (AuthService). */
export interface IngestKeyRevokedV1 {
  practiceId: string;
  ingestKeyId: string;
}

export interface DomainEventMap {
  LeadCreatedV1: LeadCreatedV1;
  LeadRespondedV1: LeadRespondedV1;
  LeadBookedV1: LeadBookedV1;
  LeadNotBookedV1: LeadNotBookedV1;
  CallChangedV1: CallChangedV1;
  LeadMergedV1: LeadMergedV1;
  LeadUnmergedV1: LeadUnmergedV1;
  ContactAttemptedV1: ContactAttemptedV1;
  LeadDoNotContactV1: LeadDoNotContactV1;
  CallbacksMadeV1: CallbacksMadeV1;
  PracticeSettingsChangedV1: PracticeSettingsChangedV1;
  DisplayRevokedV1: DisplayRevokedV1;
  IngestKeyRevokedV1: IngestKeyRevokedV1;
}

export type DomainEvent = { [K in keyof DomainEventMap]: { name: K; payload: DomainEventMap[K] } }[keyof DomainEventMap];

/** How an event reached this process. */
export interface EventMeta {
  /** When the publishing transaction committed (ms since the epoch; on a PostgreSQL server: just
   * before its COMMIT, in the publishing process's clock). */
  committedAt: number;
}

/** Listeners hear of events that may have been missed: `practiceId` null means any practice (the
 * cross-process bus lost its connection for a while). Whoever keeps state built from events rebuilds it
 * from the database. */
const MISSED = Symbol('missed');

/** How long a request waits for its own events to reach this process's listeners (see `waitForDelivery`). */
export const DELIVERY_WAIT_MS = 1_000;

@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter();
  private readonly logger = new Logger('DomainEvents');
  /** Highest event number handed to this process's listeners, per practice (cross-process bus only). */
  private readonly deliveredSeq = new Map<string, number>();
  private readonly waiters = new Set<{ practiceId: string; seq: number; done: () => void }>();
  /** True while a bus listener is connected in this process: only then is there a delivery to wait for. */
  listening = false;

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit(event: DomainEvent, meta: EventMeta = { committedAt: Date.now() }): void {
    this.emitter.emit(event.name, event.payload, meta);
  }

  /** A listener runs after the commit: if it throws (or its promise rejects), the error is logged and
   * the write stays what it is, committed and answered 2xx; the other listeners still run. */
  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K], meta: EventMeta) => void | Promise<void>): () => void {
    const guarded = (payload: DomainEventMap[K], meta: EventMeta) => {
      try {
        const result = listener(payload, meta);
        if (result instanceof Promise) result.catch((error: unknown) => this.listenerFailed(name, error));
      } catch (error) {
        this.listenerFailed(name, error);
      }
    };
    this.emitter.on(name, guarded);
    return () => this.emitter.off(name, guarded);
  }

  private listenerFailed(name: keyof DomainEventMap, error: unknown): void {
    // The event's payload is not logged: only its name and the error.
    const err = error instanceof Error ? error : new Error(String(error));
    this.logger.error(`a ${name} listener failed after commit (the write stands): ${err.message}`, err.stack);
  }

  /** The bus listener has handed event number `seq` of a practice to this process's listeners. */
  delivered(practiceId: string, seq: number): void {
    if (seq > (this.deliveredSeq.get(practiceId) ?? 0)) this.deliveredSeq.set(practiceId, seq);
    for (const waiter of this.waiters) if (waiter.practiceId === practiceId && waiter.seq <= seq) waiter.done();
  }

  /** Resolves once this process's listeners have the given numbered events (the publisher's own
   * notifications coming back), or after `ms`: a request is answered after its changes are on this
   * process's boards, as when events were emitted in-process. No wait without a bus listener. */
  waitForDelivery(receipts: ReadonlyArray<{ practiceId: string; seq: number }>, ms = DELIVERY_WAIT_MS): Promise<void> {
    const pending = receipts.filter((r) => this.listening && (this.deliveredSeq.get(r.practiceId) ?? 0) < r.seq);
    if (pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let left = pending.length;
      const mine: Array<{ practiceId: string; seq: number; done: () => void }> = [];
      const finish = () => {
        clearTimeout(timer);
        for (const waiter of mine) this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      for (const receipt of pending) {
        let settled = false;
        const waiter = {
          ...receipt,
          done: () => {
            if (settled) return;
            settled = true;
            if (--left === 0) finish();
          },
        };
        mine.push(waiter);
        this.waiters.add(waiter);
      }
    });
  }

  /** Says events of `practiceId` (null: of any practice) may have been missed. */
  missed(practiceId: string | null): void {
    this.emitter.emit(MISSED, practiceId);
  }

  onMissed(listener: (practiceId: string | null) => void): () => void {
    this.emitter.on(MISSED, listener);
    return () => this.emitter.off(MISSED, listener);
  }
}
