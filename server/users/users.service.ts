// Users of the web pages and their logins. Every method takes the practice it acts in; a user of
// another practice is "not found", never shown.

import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { z } from 'zod';
import { dummyHash, generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords.js';
import { csrfTokenFor, newSessionSecret, SESSION_ABSOLUTE_MS, sha256 } from './sessions.js';
import { AppUser, USER_ROLES, UserSession } from './user.entities.js';
import type { UserView } from '../admin/admin.contract.js';

export type { UserView };

/** Failed logins in a row that lock an account... */
export const LOCKOUT_FAILURES = 10;
/** ...for this long. */
export const LOCKOUT_MS = 15 * 60 * 1000;
/** The one answer to a wrong email, a wrong password, a locked or a disabled account. */
export const LOGIN_REFUSED = 'wrong email or password, or too many failed attempts: try again later';

export const createUserSchema = z.strictObject({
  email: z.email().max(254),
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(USER_ROLES),
  password: z.string().optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const loginSchema = z.strictObject({
  practiceId: z.uuid().optional(),
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.infer<typeof loginSchema>;

export interface LoginResult {
  user: UserView;
  sessionSecret: string;
  csrfToken: string;
  expiresAt: Date;
}

export function userView(user: AppUser): UserView {
  return {
    id: user.id,
    practiceId: user.practiceId,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    disabledAt: user.disabledAt?.toISOString() ?? null,
  };
}

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  private get users() {
    return this.dataSource.getRepository(AppUser);
  }

  onModuleInit(): void {
    void dummyHash(); // computed once, so the first unknown-email login takes no longer than the others
  }

  /** Creates a user; without a password, a strong one is generated and returned (shown once). */
  async createUser(practiceId: string, input: CreateUserInput): Promise<{ user: UserView; generatedPassword: string | null }> {
    const generatedPassword = input.password === undefined ? generatePassword() : null;
    const password = input.password ?? generatedPassword!;
    const problem = passwordProblem(password);
    if (problem) throw new BadRequestException(problem);
    const email = input.email.trim().toLowerCase();
    if (!z.email().safeParse(email).success) throw new BadRequestException('email: not an email address');
    const practice: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM practice WHERE id = $1`, [practiceId]);
    if (practice.length === 0) throw new NotFoundException(`practice ${practiceId} not found`);
    try {
      const user = await this.users.save(
        this.users.create({ practiceId, email, displayName: input.displayName.trim(), role: input.role, passwordHash: await hashPassword(password) }),
      );
      return { user: userView(user), generatedPassword };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ConflictException(`email: ${email} already has an account in this practice`);
      throw error;
    }
  }

  async listUsers(practiceId: string): Promise<UserView[]> {
    const users = await this.users.find({ where: { practiceId }, order: { createdAt: 'ASC' } });
    return users.map(userView);
  }

  async findByEmail(practiceId: string, email: string): Promise<UserView | null> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM app_user WHERE practice_id = $1 AND lower(email) = lower($2)`, [
      practiceId,
      email.trim(),
    ]);
    if (!row) return null;
    return userView(await this.users.findOneByOrFail({ id: row.id }));
  }

  /** Disables a user of the practice and ends all their sessions; an admin cannot disable themself. */
  async disableUser(practiceId: string, userId: string, actingUserId: string | null): Promise<UserView> {
    if (userId === actingUserId) throw new ForbiddenException('you cannot disable your own account');
    return this.unitOfWork.run(async ({ manager }) => {
      const user = await manager.getRepository(AppUser).findOneBy({ id: userId, practiceId });
      if (!user) throw new NotFoundException(`user ${userId} not found`);
      if (!user.disabledAt) {
        user.disabledAt = new Date();
        await manager.getRepository(AppUser).save(user);
      }
      await manager.query(`UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
      return userView(user);
    });
  }

  /**
   * Checks a password and opens a session. A wrong email, a wrong password, a locked and a disabled
   * account all get the same refusal (LOGIN_REFUSED), and each runs one scrypt verification (against
   * a dummy hash when no account matches), so neither message nor timing tells which it was.
   */
  async login(input: LoginInput): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const candidates = await this.dataSource
      .getRepository(AppUser)
      .createQueryBuilder('u')
      .where('lower(u.email) = :email', { email })
      .andWhere('u.disabled_at IS NULL')
      .andWhere(input.practiceId ? 'u.practice_id = :practiceId' : 'TRUE', { practiceId: input.practiceId })
      .orderBy('u.created_at', 'ASC')
      .limit(5)
      .getMany();
    if (candidates.length === 0) {
      await verifyPassword(input.password, await dummyHash());
      throw new LoginRefused();
    }
    let matched: AppUser | null = null;
    for (const user of candidates) {
      // The attempt is counted before the password is checked, in one atomic update: of any number
      // of concurrent guesses, at most LOCKOUT_FAILURES are checked before the account locks.
      const attempt = await this.reserveAttempt(user.id);
      const ok = await verifyPassword(input.password, user.passwordHash); // also when locked: same timing
      if (attempt === null) continue; // locked: a correct password does not open it, nor reset its count
      if (ok) {
        matched = user;
        break;
      }
      if (attempt >= LOCKOUT_FAILURES) await this.lock(user.id);
    }
    if (!matched) throw new LoginRefused();

    const updates: Partial<AppUser> = { failedAttempts: 0, lockedUntil: null };
    if (needsRehash(matched.passwordHash)) updates.passwordHash = await hashPassword(input.password);
    await this.users.update({ id: matched.id }, updates);

    const sessionSecret = newSessionSecret();
    const csrfToken = csrfTokenFor(sessionSecret);
    const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
    await this.dataSource.getRepository(UserSession).insert({
      userId: matched.id,
      practiceId: matched.practiceId,
      tokenHash: sha256(sessionSecret),
      csrfTokenHash: sha256(csrfToken),
      lastSeenAt: new Date(),
      expiresAt,
    });
    return { user: userView(matched), sessionSecret, csrfToken, expiresAt };
  }

  /**
   * Counts one attempt as a failure until it proves right (login then resets the count): the number of
   * this attempt in the current run of failures, or null when the account is locked or its
   * LOCKOUT_FAILURES attempts are already taken by concurrent guesses. A lock that has run out starts
   * the count again.
   */
  private async reserveAttempt(userId: string): Promise<number | null> {
    const rows: Array<{ failed_attempts: number }> = await this.dataSource.query(
      // (A SELECT over the UPDATE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with rows.)
      `WITH reserved AS (
         UPDATE app_user
            SET failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN locked_until <= now() THEN NULL ELSE locked_until END
          WHERE id = $1
            AND (locked_until IS NULL OR locked_until <= now())
            AND (failed_attempts < $2 OR locked_until <= now())
          RETURNING failed_attempts
       )
       SELECT failed_attempts FROM reserved`,
      [userId, LOCKOUT_FAILURES],
    );
    return rows[0]?.failed_attempts ?? null;
  }

  /** The LOCKOUT_FAILURES-th failure in a row: locked for LOCKOUT_MS (the count stays full until then). */
  private async lock(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE app_user SET locked_until = now() + make_interval(secs => $2::double precision) WHERE id = $1`, [
      userId,
      LOCKOUT_MS / 1000,
    ]);
  }

  async logout(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE user_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }

  async getUser(practiceId: string, userId: string): Promise<UserView> {
    const user = await this.users.findOneBy({ id: userId, practiceId });
    if (!user) throw new NotFoundException(`user ${userId} not found`);
    return userView(user);
  }
}

export class LoginRefused extends Error {
  constructor() {
    super(LOGIN_REFUSED);
  }
}
