// Typed domain events, published after the transaction that caused them has committed. The live
// board listens to them; nothing is published for work that rolled back.
//
// Versioned names: a payload change adds a V2 event, it never edits V1.

import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type { CallDirection, CallStatus, Channel, NotBookedReason } from '../domain/domain.constants.js';

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
}

export type DomainEvent = { [K in keyof DomainEventMap]: { name: K; payload: DomainEventMap[K] } }[keyof DomainEventMap];

@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter();
  private readonly logger = new Logger('DomainEvents');

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit(event: DomainEvent): void {
    this.emitter.emit(event.name, event.payload);
  }

  /** A listener runs after the commit: if it throws (or its promise rejects), the error is logged and
   * the write stays what it is, committed and answered 2xx; the other listeners still run. */
  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K]) => void | Promise<void>): () => void {
    const guarded = (payload: DomainEventMap[K]) => {
      try {
        const result = listener(payload);
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
}
