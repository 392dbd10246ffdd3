import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UserRole } from '../domain/domain.contract.js';

export { USER_ROLES, type UserRole } from '../domain/domain.contract.js';

/** A person who logs in to the web pages of one practice. */
@Entity('app_user')
export class AppUser {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text') email!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('text') role!: UserRole;
  /** `scrypt$ln=15,r=8,p=1$<salt>$<key>`: never the password itself. */
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('integer', { name: 'failed_attempts', default: 0 }) failedAttempts!: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt!: Date | null;
}

/** A login: the cookie holds a random secret, this row only its SHA-256 digest. */
@Entity('user_session')
export class UserSession {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'practice_id' }) practiceId!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('text', { name: 'csrf_token_hash' }) csrfTokenHash!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt!: Date;
  /** The absolute end (7 days after login); the idle end is last_seen_at + 12 h. */
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
