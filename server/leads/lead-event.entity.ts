import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The log of what happened to a lead after it arrived, in arrival order; also the idempotency record
 * for events sent with an `eventId`. `detail` never holds patient details or notes. */
export type LeadEventDetail = Record<string, string | number | boolean | null>;

@Entity('lead_event')
export class LeadEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('text') type!: 'responded' | 'booked' | 'not_booked' | 'contact_attempt';
  @Column('text', { name: 'event_id', nullable: true }) eventId!: string | null;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column('jsonb') detail!: LeadEventDetail;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}
