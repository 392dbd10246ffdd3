import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Protected health information: contact details of the person behind a lead or a call. Kept in its
 * own table so that nothing that builds a board or a report can pick them up by accident. */
@Entity('patient')
export class Patient {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('uuid', { name: 'lead_id', nullable: true }) leadId!: string | null;
  @Column('uuid', { name: 'call_id', nullable: true }) callId!: string | null;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
