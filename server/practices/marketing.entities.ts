import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from '../domain/domain.contract.js';
import { numericColumn } from '../database/column-types.js';

/** Where leads come from: "Google Ads", "Physician referral: Dr Patel", "Organic web". */
@Entity('marketing_source')
export class MarketingSource {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'default_channel' }) defaultChannel!: Channel;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('campaign')
export class Campaign {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'source_id' }) sourceId!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** Money spent on a source (or one of its campaigns) in a calendar month, for ROI. */
@Entity('marketing_spend')
export class MarketingSpend {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'source_id' }) sourceId!: string;
  @Column('uuid', { name: 'campaign_id', nullable: true }) campaignId!: string | null;
  /** First day of the month, practice-local. */
  @Column('date') month!: string;
  @Column('numeric', { precision: 12, scale: 2, transformer: numericColumn }) amount!: number;
}
