import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../events/domain-events.js';
import { DisplayToken, IngestKey } from './credential.entities.js';
import { hashSecret, looksLike } from './credentials.js';
import type { UserRole } from '../domain/domain.contract.js';
import { findLiveSession } from '../users/live-session.js';

export type Principal =
  | { kind: 'ingest'; practiceId: string; credentialId: string }
  | { kind: 'display'; practiceId: string; credentialId: string }
  | { kind: UserRole; practiceId: string; userId: string; sessionId: string };

export type SessionPrincipal = Extract<Principal, { kind: UserRole }>;

export type DisplayLookup =
  { ok: true; principal: Extract<Principal, { kind: 'display' }> } | { ok: false; code: 'token_missing' | 'token_invalid' | 'token_revoked' };

/** Valid ingest keys are remembered this long, sparing the hot ingest path a query per request;
 * a revoked key therefore stops working within this time. Unknown keys are never remembered. */
export const INGEST_KEY_CACHE_MS = 30_000;
const INGEST_KEY_CACHE_SIZE = 10_000;

@Injectable()
export class AuthService {
  private readonly ingestKeys = new Map<string, { principal: Principal; until: number }>();
  /** Bumped by forgetIngestKey: a lookup that started before a revocation does not cache its answer. */
  private ingestKeyGeneration = 0;

  constructor(
    private readonly dataSource: DataSource,
    events: DomainEvents,
  ) {
    // A key revoked by any process (via the event bus): dropped here too, within a second.
    events.on('IngestKeyRevokedV1', ({ ingestKeyId }) => this.forgetIngestKeyId(ingestKeyId));
  }

  async ingestPrincipal(secret: string | undefined): Promise<Principal | null> {
    if (!secret || !looksLike('ingest', secret)) return null;
    const hash = hashSecret(secret);
    const cached = this.ingestKeys.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const generation = this.ingestKeyGeneration;
    const key = await this.dataSource.getRepository(IngestKey).findOneBy({ keyHash: hash });
    if (!key || key.revokedAt) {
      this.ingestKeys.delete(hash);
      return null;
    }
    const principal: Principal = { kind: 'ingest', practiceId: key.practiceId, credentialId: key.id };
    if (generation !== this.ingestKeyGeneration) return principal; // revoked meanwhile: answer, but do not remember
    if (this.ingestKeys.size >= INGEST_KEY_CACHE_SIZE) this.ingestKeys.clear();
    this.ingestKeys.set(hash, { principal, until: Date.now() + INGEST_KEY_CACHE_MS });
    return principal;
  }

  /** Drops a key from this process's cache, after its revocation has committed: the next request with
   * it is looked up again and refused. (Other server processes drop it on IngestKeyRevokedV1.) */
  forgetIngestKey(keyHash: string): void {
    this.ingestKeyGeneration++;
    this.ingestKeys.delete(keyHash);
  }

  /** Drops a key from this process's cache by its id (revoked in another process: see the event bus). */
  forgetIngestKeyId(ingestKeyId: string): void {
    this.ingestKeyGeneration++;
    for (const [hash, cached] of this.ingestKeys) {
      if ('credentialId' in cached.principal && cached.principal.credentialId === ingestKeyId) this.ingestKeys.delete(hash);
    }
  }

  async displayPrincipal(secret: string | undefined): Promise<DisplayLookup> {
    if (!secret) return { ok: false, code: 'token_missing' };
    if (!looksLike('display', secret)) return { ok: false, code: 'token_invalid' };
    const token = await this.dataSource.getRepository(DisplayToken).findOneBy({ tokenHash: hashSecret(secret) });
    if (!token) return { ok: false, code: 'token_invalid' };
    if (token.revokedAt) return { ok: false, code: 'token_revoked' };
    return { ok: true, principal: { kind: 'display', practiceId: token.practiceId, credentialId: token.id } };
  }

  /** The user behind a session cookie, when the session is live (not revoked, not past its idle or
   * absolute end) and the user not disabled; with the digest of its CSRF token. Slides the idle end. */
  async sessionPrincipal(secret: string | undefined): Promise<{ principal: SessionPrincipal; csrfTokenHash: string } | null> {
    const session = await findLiveSession(this.dataSource, secret);
    if (!session) return null;
    return {
      principal: { kind: session.role, practiceId: session.practiceId, userId: session.userId, sessionId: session.sessionId },
      csrfTokenHash: session.csrfTokenHash,
    };
  }

  /** Of the given display token ids, those revoked since (for the sweep that drops revoked TVs). */
  async revokedDisplayTokens(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM display_token WHERE id = ANY($1::uuid[]) AND revoked_at IS NOT NULL`, [
      ids,
    ]);
    return rows.map((row) => row.id);
  }
}
