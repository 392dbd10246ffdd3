import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

// Both credentials are long random secrets shown once and stored as SHA-256 digests. A fast hash is
// right here (unlike for passwords): 256 random bits cannot be guessed, so there is nothing for a
// slow hash to protect, and the lookup sits on the hot ingest path.

/** An integration's key for the ingest API; it decides the practice. */
@Entity('ingest_key')
export class IngestKey {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'key_hash' }) keyHash!: string;
  /** The first characters of the key, to tell keys apart in lists. */
  @Column('text', { name: 'key_prefix' }) keyPrefix!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

/** A TV's read-only token for one practice's board; revocable. */
@Entity('display_token')
export class DisplayToken {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('text', { name: 'token_prefix' }) tokenPrefix!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
