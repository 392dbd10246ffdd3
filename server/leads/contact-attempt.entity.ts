import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ContactKind, ContactOutcome } from '../domain/domain.contract.js';

/** One try at reaching a lead (working the lead): a call, text, email or chat, and how it went. */
@Entity('contact_attempt')
export class ContactAttempt {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('uuid', { name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column('text') kind!: ContactKind;
  @Column('text') outcome!: ContactOutcome;
  @Column('timestamptz') at!: Date;
}
