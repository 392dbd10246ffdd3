import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { GoalMetric } from '../domain/domain.contract.js';
import { numericColumn } from '../database/column-types.js';

@Entity('goal')
export class Goal {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  /** First day of the month, practice-local. */
  @Column('date') month!: string;
  @Column('text') metric!: GoalMetric;
  @Column('numeric', { precision: 14, scale: 2, transformer: numericColumn }) target!: number;
}
