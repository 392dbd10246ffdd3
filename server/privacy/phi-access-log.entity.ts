import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One showing or export of patient details to a signed-in user: who, when, what, and which leads or calls. */
@Entity('phi_access_log')
export class PhiAccessLog {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'user_id', nullable: true }) userId!: string | null;
  @Column('timestamptz', { default: () => 'now()' }) at!: Date;
  /** What was shown, e.g. 'follow_up_queue', 'price_objections_export'. */
  @Column('text') action!: string;
  @Column('uuid', { name: 'lead_ids', array: true, default: () => "'{}'" }) leadIds!: string[];
  @Column('uuid', { name: 'call_ids', array: true, default: () => "'{}'" }) callIds!: string[];
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
}
