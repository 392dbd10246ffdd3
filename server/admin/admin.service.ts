// The practice's own administration: its ingest keys, its TVs' display tokens, its staff and its
// settings. Every method takes the caller's practice and scopes every query by it: another
// practice's id is "not found", never touched.
//
// Secrets (an ingest key, a display token) are shown once, in the answer that creates them; only
// their SHA-256 digest is stored. The credentials are auth's (CredentialsService issues and revokes
// them). Revocations take effect at once in this process (a revoked ingest key is dropped from
// AuthService's cache) and, through the event bus, in every process within a second:
// IngestKeyRevokedV1 empties their key caches, DisplayRevokedV1 disconnects the TV wherever it is
// connected.

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CredentialsService, type CredentialRecord } from '../auth/credentials.service.js';
import { boardUrl } from '../common/board-url.js';
import type { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Practice } from '../practices/practice.entity.js';
import type { CreatedDisplay, CreatedIngestKey, CredentialView, SettingsView, StaffView } from './admin.contract.js';
import { Staff } from '../practices/staff.entity.js';
import type { CreateStaffInput, UpdateSettingsInput, UpdateStaffInput } from './admin.schemas.js';

export const ADMIN_SETTINGS = Symbol('ADMIN_SETTINGS');
export type AdminSettings = Pick<AppConfig, 'publicUrl'>;

function credentialView(row: CredentialRecord): CredentialView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

function staffView(row: Staff): StaffView {
  return { id: row.id, displayName: row.displayName, role: row.role, active: row.active, createdAt: row.createdAt.toISOString() };
}

function settingsView(practice: Practice): SettingsView {
  return {
    id: practice.id,
    name: practice.name,
    timeZone: practice.timeZone,
    currency: practice.currency,
    holidayRegion: practice.holidayRegion,
    openingHours: practice.openingHours,
    boardThresholds: practice.boardThresholds,
    leadMergeWindowHours: practice.leadMergeWindowHours,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
const duplicateName = (name: string) =>
  new ConflictException(`displayName: "${name}" is already the display name of someone on this practice's staff; pick another (add an initial: "${name} B.")`);

@Injectable()
export class AdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly credentials: CredentialsService,
    @Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings,
  ) {}

  // --- ingest keys ---

  listIngestKeys(practiceId: string): Promise<CredentialView[]> {
    return this.unitOfWork.run(async ({ manager }) => (await this.credentials.listIngestKeys(manager, practiceId)).map(credentialView));
  }

  createIngestKey(practiceId: string, name: string): Promise<CreatedIngestKey> {
    return this.unitOfWork.run(async ({ manager }) => {
      const { secret, ...row } = await this.credentials.issueIngestKey(manager, practiceId, name);
      return { ...credentialView(row), key: secret };
    });
  }

  /** Revokes a key (again: no change); refused from the next request on, in this process. */
  async revokeIngestKey(practiceId: string, id: string): Promise<CredentialView> {
    return credentialView(await this.credentials.revokeIngestKey(practiceId, id));
  }

  // --- TV displays ---

  listDisplays(practiceId: string): Promise<CredentialView[]> {
    return this.unitOfWork.run(async ({ manager }) => (await this.credentials.listDisplayTokens(manager, practiceId)).map(credentialView));
  }

  createDisplay(practiceId: string, name: string): Promise<CreatedDisplay> {
    return this.unitOfWork.run(async ({ manager }) => {
      const { secret, ...row } = await this.credentials.issueDisplayToken(manager, practiceId, name);
      return { ...credentialView(row), token: secret, boardUrl: boardUrl(this.settings, secret) };
    });
  }

  /** Revokes a TV's token through CredentialsService (the one revocation path, the CLI's too); a TV
   * connected with it is disconnected once the revocation has committed. */
  async revokeDisplay(practiceId: string, id: string): Promise<CredentialView> {
    return credentialView(await this.credentials.revokeDisplayToken(id, practiceId));
  }

  // --- staff ---

  listStaff(practiceId: string): Promise<StaffView[]> {
    return this.unitOfWork.run(async ({ manager }) =>
      (await manager.getRepository(Staff).find({ where: { practiceId }, order: { active: 'DESC', displayName: 'ASC' } })).map(staffView),
    );
  }

  async createStaff(practiceId: string, input: CreateStaffInput): Promise<StaffView> {
    try {
      return await this.unitOfWork.run(async ({ manager }) => {
        await this.refuseDuplicateName(manager, practiceId, input.displayName, null);
        const repository = manager.getRepository(Staff);
        return staffView(await repository.save(repository.create({ practiceId, displayName: input.displayName, role: input.role, active: true })));
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName(input.displayName);
      throw error;
    }
  }

  /** Renames, changes the role of, or (de)activates a staff member. A rename rebuilds the practice's
   * boards, so the TV's leaderboard shows the new name. */
  async updateStaff(practiceId: string, id: string, input: UpdateStaffInput): Promise<StaffView> {
    try {
      return await this.unitOfWork.run(async ({ manager, publish }) => {
        const repository = manager.getRepository(Staff);
        const row = await repository.findOne({ where: { id, practiceId }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFoundException(`staff member ${id} not found`);
        const renamed = input.displayName !== undefined && input.displayName !== row.displayName;
        if (renamed) await this.refuseDuplicateName(manager, practiceId, input.displayName!, row.id);
        const changes: Partial<Staff> = {};
        if (renamed) changes.displayName = input.displayName!;
        if (input.role !== undefined && input.role !== row.role) changes.role = input.role;
        if (input.active !== undefined && input.active !== row.active) changes.active = input.active;
        if (Object.keys(changes).length > 0) {
          await repository.update({ id: row.id }, changes);
          Object.assign(row, changes);
        }
        if (renamed) publish({ name: 'PracticeSettingsChangedV1', payload: { practiceId } });
        return staffView(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName(input.displayName ?? '');
      throw error;
    }
  }

  /** One display name per practice, whatever the case: "maya" and "Maya" would look the same on a TV. */
  private async refuseDuplicateName(manager: EntityManager, practiceId: string, displayName: string, exceptId: string | null): Promise<void> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM staff WHERE practice_id = $1 AND lower(display_name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`,
      [practiceId, displayName, exceptId],
    );
    if (rows.length > 0) throw duplicateName(displayName);
  }

  // --- practice settings ---

  getSettings(practiceId: string): Promise<SettingsView> {
    return this.unitOfWork.run(async ({ manager }) => {
      const practice = await manager.getRepository(Practice).findOneBy({ id: practiceId });
      if (!practice) throw new NotFoundException(`practice ${practiceId} not found`);
      return settingsView(practice);
    });
  }

  /** Applies the validated fields in one transaction (all or nothing); the practice's boards rebuild
   * with them once it has committed (PracticeSettingsChangedV1). */
  updateSettings(practiceId: string, input: UpdateSettingsInput): Promise<SettingsView> {
    return this.unitOfWork.run(async ({ manager, publish }) => {
      const repository = manager.getRepository(Practice);
      const practice = await repository.findOne({ where: { id: practiceId }, lock: { mode: 'pessimistic_write' } });
      if (!practice) throw new NotFoundException(`practice ${practiceId} not found`);
      const changes: Partial<Practice> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.timeZone !== undefined) changes.timeZone = input.timeZone;
      if (input.currency !== undefined) changes.currency = input.currency;
      if (input.holidayRegion !== undefined) changes.holidayRegion = input.holidayRegion;
      if (input.openingHours !== undefined) changes.openingHours = input.openingHours;
      if (input.boardThresholds !== undefined) changes.boardThresholds = input.boardThresholds;
      if (input.leadMergeWindowHours !== undefined) changes.leadMergeWindowHours = input.leadMergeWindowHours;
      await repository.update({ id: practiceId }, changes);
      Object.assign(practice, changes);
      publish({ name: 'PracticeSettingsChangedV1', payload: { practiceId } });
      return settingsView(practice);
    });
  }
}
