import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel, LeadStatus, NotBookedReason, ResponseVia } from '../domain/domain.contract.js';
import { numericColumn } from '../database/column-types.js';

/** A new-patient (or existing-patient) enquiry. Holds no patient details: those live in `patient`. */
@Entity('lead')
export class Lead {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  /** The integrator's id, unique per practice: a retried delivery finds the lead instead of adding one. */
  @Column('text', { name: 'external_id', nullable: true }) externalId!: string | null;
  @Column('text') channel!: Channel;
  @Column('uuid', { name: 'source_id', nullable: true }) sourceId!: string | null;
  @Column('uuid', { name: 'campaign_id', nullable: true }) campaignId!: string | null;
  @Column('text', { nullable: true }) treatment!: string | null;
  @Column('boolean', { name: 'is_new_patient' }) isNewPatient!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt!: Date | null;
  @Column('uuid', { name: 'first_response_staff_id', nullable: true }) firstResponseStaffId!: string | null;
  @Column('text', { name: 'first_response_via', nullable: true }) firstResponseVia!: ResponseVia | null;
  @Column('text') status!: LeadStatus;
  @Column('text', { name: 'not_booked_reason', nullable: true }) notBookedReason!: NotBookedReason | null;
  /** Free text from staff: private, never on a board or in a log. */
  @Column('text', { name: 'not_booked_note', nullable: true }) notBookedNote!: string | null;
  @Column('timestamptz', { name: 'booked_at', nullable: true }) bookedAt!: Date | null;
  @Column('uuid', { name: 'booked_by_staff_id', nullable: true }) bookedByStaffId!: string | null;
  @Column('timestamptz', { name: 'appointment_at', nullable: true }) appointmentAt!: Date | null;
  @Column('uuid', { name: 'assigned_staff_id', nullable: true }) assignedStaffId!: string | null;
  @Column('numeric', { name: 'estimated_value', precision: 12, scale: 2, nullable: true, transformer: numericColumn })
  estimatedValue!: number | null;
  @Column('numeric', { name: 'actual_value', precision: 12, scale: 2, nullable: true, transformer: numericColumn })
  actualValue!: number | null;
  /** This lead is the same person as an earlier lead and counts as a touch of it, not as a lead of its
   * own (one lead per person). Reports, boards and forecasts count only leads where this is null. */
  @Column('uuid', { name: 'merged_into_lead_id', nullable: true }) mergedIntoLeadId!: string | null;
  /** The person asked not to be contacted: no follow-ups. */
  @Column('timestamptz', { name: 'do_not_contact_at', nullable: true }) doNotContactAt!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** The log of merges (one lead per person) and of their undoing. */
@Entity('lead_merge')
export class LeadMerge {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  /** The later lead, now counted as a touch of `intoLeadId`. */
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('uuid', { name: 'into_lead_id' }) intoLeadId!: string;
  @Column('text', { name: 'matched_on' }) matchedOn!: 'phone' | 'email' | 'manual';
  @Column('timestamptz', { name: 'merged_at' }) mergedAt!: Date;
  /** null: merged automatically at ingest. */
  @Column('uuid', { name: 'merged_by_user_id', nullable: true }) mergedByUserId!: string | null;
  @Column('timestamptz', { name: 'undone_at', nullable: true }) undoneAt!: Date | null;
  @Column('uuid', { name: 'undone_by_user_id', nullable: true }) undoneByUserId!: string | null;
}
