import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BoardThresholds, OpeningHours } from '../domain/domain.contract.js';
import type { PracticeRecord } from './practice-records.js';

@Entity('practice')
export class Practice implements PracticeRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** IANA time zone: "today", "this hour" and "this month" are reckoned in it. */
  @Column('text', { name: 'time_zone' }) timeZone!: string;
  @Column('jsonb', { name: 'opening_hours' }) openingHours!: OpeningHours;
  /** ISO 4217 code. */
  @Column('text') currency!: string;
  /** ISO 3166 country (and optional region, "US-TX") for public holidays; null: none. */
  @Column('text', { name: 'holiday_region', nullable: true }) holidayRegion!: string | null;
  @Column('jsonb', { name: 'board_thresholds' }) boardThresholds!: BoardThresholds;
  /** One lead per person: a lead with the phone or email of a lead from the last this-many hours is
   * merged into it (0: never). */
  @Column('integer', { name: 'lead_merge_window_hours', default: 720 }) leadMergeWindowHours!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
