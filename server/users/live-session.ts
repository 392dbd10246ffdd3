// A session cookie's live session, read from the users module's tables (user_session, app_user) for
// RolesGuard (auth/). A plain function, not UsersService: UsersModule imports AuthModule, so AuthService
// cannot inject UsersService without a module cycle.

import type { DataSource } from 'typeorm';
import type { UserRole } from '../domain/domain.contract.js';
import { LAST_SEEN_RESOLUTION_MS, looksLikeSession, SESSION_IDLE_MS, sha256 } from './sessions.js';

export interface LiveSession {
  sessionId: string;
  userId: string;
  practiceId: string;
  role: UserRole;
  csrfTokenHash: string;
}

/** The session behind a cookie's secret when it is live (not revoked, not past its idle or absolute
 * end) and its user not disabled; null otherwise. Slides the idle end (at most once a minute). */
export async function findLiveSession(dataSource: DataSource, secret: string | undefined): Promise<LiveSession | null> {
  if (!secret || !looksLikeSession(secret)) return null;
  const rows: Array<{ id: string; user_id: string; practice_id: string; role: UserRole; csrf_token_hash: string; stale: boolean }> = await dataSource.query(
    `SELECT s.id, s.user_id, s.practice_id, u.role, s.csrf_token_hash,
              s.last_seen_at < now() - make_interval(secs => $3::double precision) AS stale
         FROM user_session s JOIN app_user u ON u.id = s.user_id AND u.practice_id = s.practice_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(secs => $2::double precision)
          AND u.disabled_at IS NULL`,
    [sha256(secret), SESSION_IDLE_MS / 1000, LAST_SEEN_RESOLUTION_MS / 1000],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.stale) await dataSource.query(`UPDATE user_session SET last_seen_at = now() WHERE id = $1`, [row.id]);
  return { sessionId: row.id, userId: row.user_id, practiceId: row.practice_id, role: row.role, csrfTokenHash: row.csrf_token_hash };
}
