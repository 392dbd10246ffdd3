// The owner of the ingest_key and display_token tables: issues, lists and revokes the credentials
// AuthService verifies. Auth owns them, not practices, because the secret's whole life is here: its
// format and digest (credentials.ts), its lookup on the hot ingest path and the cache of valid keys,
// which a revocation must empty. Practice set-up (PracticesService, the CLI) and the admin API ask this
// service; AuthModule imports nothing, so every feature module can import it without a cycle.
//
// Reads and issues take the caller's transaction manager (the admin API's unit of work); revocations
// run their own, because their effects (events, the cache eviction) follow its commit.

import { Injectable, NotFoundException } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuthService } from './auth.service.js';
import { DisplayToken, IngestKey } from './credential.entities.js';
import { newSecret } from './credentials.js';

/** A stored credential, as its lists show it: never the secret, nor its digest. */
export interface CredentialRecord {
  id: string;
  practiceId: string;
  name: string;
  /** The first characters of the secret, to tell credentials apart in lists. */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A credential just issued: its secret is shown once; only its digest is stored. */
export interface IssuedCredential extends CredentialRecord {
  secret: string;
}

function ingestKeyRecord(row: IngestKey): CredentialRecord {
  return { id: row.id, practiceId: row.practiceId, name: row.name, prefix: row.keyPrefix, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

function displayTokenRecord(row: DisplayToken): CredentialRecord {
  return { id: row.id, practiceId: row.practiceId, name: row.name, prefix: row.tokenPrefix, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

@Injectable()
export class CredentialsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly auth: AuthService,
  ) {}

  // --- ingest keys ---

  async listIngestKeys(manager: EntityManager, practiceId: string): Promise<CredentialRecord[]> {
    return (await manager.getRepository(IngestKey).find({ where: { practiceId }, order: { createdAt: 'ASC' } })).map(ingestKeyRecord);
  }

  async issueIngestKey(manager: EntityManager, practiceId: string, name: string): Promise<IssuedCredential> {
    const { secret, hash, prefix } = newSecret('ingest');
    const repository = manager.getRepository(IngestKey);
    const row = await repository.save(repository.create({ practiceId, name, keyHash: hash, keyPrefix: prefix }));
    return { ...ingestKeyRecord(row), secret };
  }

  /** Revokes one of the practice's keys (again: no change); refused from the next request on in this
   * process (evicted once committed) and, through IngestKeyRevokedV1, in every other within a second. */
  async revokeIngestKey(practiceId: string, id: string): Promise<CredentialRecord> {
    const key = await this.unitOfWork.run(async ({ manager, publish }) => {
      const repository = manager.getRepository(IngestKey);
      const row = await repository.findOne({ where: { id, practiceId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundException(`ingest key ${id} not found`);
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        await repository.update({ id: row.id }, { revokedAt: row.revokedAt });
        publish({ name: 'IngestKeyRevokedV1', payload: { practiceId, ingestKeyId: row.id } });
      }
      return row;
    });
    this.auth.forgetIngestKey(key.keyHash); // committed: evict, so the next request reads the revocation
    return ingestKeyRecord(key);
  }

  // --- TV display tokens ---

  async listDisplayTokens(manager: EntityManager, practiceId: string): Promise<CredentialRecord[]> {
    return (await manager.getRepository(DisplayToken).find({ where: { practiceId }, order: { createdAt: 'ASC' } })).map(displayTokenRecord);
  }

  async issueDisplayToken(manager: EntityManager, practiceId: string, name: string): Promise<IssuedCredential> {
    const { secret, hash, prefix } = newSecret('display');
    const repository = manager.getRepository(DisplayToken);
    const row = await repository.save(repository.create({ practiceId, name, tokenHash: hash, tokenPrefix: prefix }));
    return { ...displayTokenRecord(row), secret };
  }

  /** Revokes a TV's token (again: no change); a TV connected with it is disconnected once the
   * revocation has committed, whichever server process it is connected to (DisplayRevokedV1 travels
   * on the event bus). The one revocation path: the CLI calls it unscoped, the admin API with the
   * caller's practice (another practice's display is "not found"). */
  async revokeDisplayToken(displayTokenId: string, practiceId?: string): Promise<CredentialRecord> {
    return this.unitOfWork.run(async ({ manager, publish }) => {
      const repository = manager.getRepository(DisplayToken);
      const where = practiceId === undefined ? { id: displayTokenId } : { id: displayTokenId, practiceId };
      const token = await repository.findOne({ where, lock: { mode: 'pessimistic_write' } });
      if (!token) throw new NotFoundException(`display ${displayTokenId} not found`);
      if (!token.revokedAt) {
        await repository.update({ id: token.id, revokedAt: IsNull() }, { revokedAt: new Date() });
        publish({ name: 'DisplayRevokedV1', payload: { practiceId: token.practiceId, displayTokenId: token.id } });
      }
      return displayTokenRecord((await repository.findOneBy({ id: displayTokenId }))!);
    });
  }
}
