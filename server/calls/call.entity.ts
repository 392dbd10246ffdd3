import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CallDirection, CallStatus } from '../domain/domain.contract.js';

/** A phone call as the phone system reported it; one row per call however many messages it sent. */
@Entity('call')
export class Call {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text') direction!: CallDirection;
  @Column('text') status!: CallStatus;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt!: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
  @Column('integer', { name: 'wait_seconds', nullable: true }) waitSeconds!: number | null;
  @Column('integer', { name: 'talk_seconds', nullable: true }) talkSeconds!: number | null;
  @Column('uuid', { name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column('uuid', { name: 'lead_id', nullable: true }) leadId!: string | null;
  @Column('boolean', { name: 'is_new_patient', nullable: true }) isNewPatient!: boolean | null;
  /** Started outside the practice's opening hours (practice-local). */
  @Column('boolean', { name: 'after_hours' }) afterHours!: boolean;
  /** A missed inbound call's first call back (an outbound call to the same number or lead, or a logged
   * call attempt on its lead); null while nobody has called back. */
  @Column('timestamptz', { name: 'callback_at', nullable: true }) callbackAt!: Date | null;
  @Column('uuid', { name: 'callback_call_id', nullable: true }) callbackCallId!: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
