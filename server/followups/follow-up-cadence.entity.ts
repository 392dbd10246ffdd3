import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CadenceTarget } from '../domain/domain.contract.js';
import type { CadenceStep } from './followups.contract.js';

/** A practice's follow-up cadence: its default ('default') or the override for one channel. */
@Entity('follow_up_cadence')
export class FollowUpCadence {
  @PrimaryColumn('uuid', { name: 'practice_id' }) practiceId!: string;
  @PrimaryColumn('text') channel!: CadenceTarget;
  @Column('jsonb') steps!: CadenceStep[];
  @Column('integer', { name: 'max_attempts' }) maxAttempts!: number;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt!: Date;
  @Column('uuid', { name: 'updated_by_user_id', nullable: true }) updatedByUserId!: string | null;
}
