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

import { Inject, Injectable } from '@nestjs/common';
import { CredentialsService, type CredentialRecord } from '../auth/credentials.service.js';
import { boardUrl } from '../common/board-url.js';
import type { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { PracticeRecord, StaffRecord } from '../practices/practice-records.js';
import { PracticesService } from '../practices/practices.service.js';
import type { CreatedDisplay, CreatedIngestKey, CredentialView, SettingsView, StaffView } from './admin.contract.js';
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

function staffView(row: StaffRecord): StaffView {
  return { id: row.id, displayName: row.displayName, role: row.role, active: row.active, createdAt: row.createdAt.toISOString() };
}

function settingsView(practice: PracticeRecord): SettingsView {
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

@Injectable()
export class AdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly credentials: CredentialsService,
    private readonly practices: PracticesService,
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

  // --- staff (the practices module's table: written through PracticesService) ---

  listStaff(practiceId: string): Promise<StaffView[]> {
    return this.unitOfWork.run(async ({ manager }) => (await this.practices.listStaff(practiceId, { activeFirst: true, manager })).map(staffView));
  }

  async createStaff(practiceId: string, input: CreateStaffInput): Promise<StaffView> {
    return staffView(await this.practices.createStaffMember(practiceId, input));
  }

  /** Renames, changes the role of, or (de)activates a staff member. A rename rebuilds the practice's
   * boards, so the TV's leaderboard shows the new name. */
  async updateStaff(practiceId: string, id: string, input: UpdateStaffInput): Promise<StaffView> {
    return staffView(await this.practices.updateStaffMember(practiceId, id, input));
  }

  // --- practice settings (through PracticesService) ---

  getSettings(practiceId: string): Promise<SettingsView> {
    return this.unitOfWork.run(async ({ manager }) => settingsView(await this.practices.getPractice(practiceId, manager)));
  }

  /** Applies the validated fields in one transaction (all or nothing); the practice's boards rebuild
   * with them once it has committed (PracticeSettingsChangedV1). */
  async updateSettings(practiceId: string, input: UpdateSettingsInput): Promise<SettingsView> {
    return settingsView(await this.practices.updateSettings(practiceId, input));
  }
}
