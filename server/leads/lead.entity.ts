import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel, LeadStatus, NotBookedReason, ResponseVia } from '../domain/domain.constants.js';
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
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
