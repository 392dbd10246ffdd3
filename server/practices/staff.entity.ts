import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '../domain/domain.contract.js';
import type { StaffRecord } from './practice-records.js';

@Entity('staff')
@Index(['practiceId', 'displayName'], { unique: true })
export class Staff implements StaffRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  /** What a TV shows: a first name or initials, never a full name. */
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('text') role!: StaffRole;
  @Column('boolean', { default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
