// Setting a practice up: the practice itself, its staff, marketing sources, and the credentials of
// its integrations and TVs (issued by auth's CredentialsService, which owns them). Used by the CLI, the
// demo and the admin API. The owner of the practice and staff tables: other features read a practice
// (its time zone, hours, holidays) here, as a PracticeRecord, passing their transaction's manager when
// the read belongs to it.

import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { IANAZone } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialsService } from '../auth/credentials.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import {
  CHANNELS,
  DEFAULT_BOARD_THRESHOLDS,
  DEFAULT_OPENING_HOURS,
  STAFF_ROLES,
  type Channel,
  type OpeningHours,
  type StaffRole,
} from '../domain/domain.contract.js';
import { MarketingSource } from './marketing.entities.js';
import type { PracticeRecord, StaffRecord } from './practice-records.js';
import { Practice } from './practice.entity.js';
import { Staff } from './staff.entity.js';

export interface CreatePracticeInput {
  name: string;
  timeZone: string;
  currency?: string;
  openingHours?: OpeningHours;
  holidayRegion?: string | null;
}

/** A staff member added from the admin pages. */
export interface NewStaffMember {
  displayName: string;
  role: StaffRole;
}

/** What the admin pages may change of a staff member; a field left out stays as it is. */
export type StaffChanges = Partial<Pick<StaffRecord, 'displayName' | 'role' | 'active'>>;

/** What the admin pages may change of a practice's settings; a field left out stays as it is. */
export type PracticeSettingsChanges = Partial<
  Pick<PracticeRecord, 'name' | 'timeZone' | 'currency' | 'holidayRegion' | 'openingHours' | 'boardThresholds' | 'leadMergeWindowHours'>
>;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
const duplicateStaffName = (name: string) =>
  new ConflictException(`displayName: "${name}" is already the display name of someone on this practice's staff; pick another (add an initial: "${name} B.")`);

export interface IssuedSecret {
  id: string;
  practiceId: string;
  /** Shown once; only its hash is stored. */
  secret: string;
}

@Injectable()
export class PracticesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly credentials: CredentialsService,
  ) {}

  async createPractice(input: CreatePracticeInput): Promise<PracticeRecord> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw new BadRequestException('name: must be 1 to 200 characters');
    if (!IANAZone.isValidZone(input.timeZone)) {
      throw new BadRequestException(`timezone: "${input.timeZone}" is not an IANA time zone (e.g. America/Chicago)`);
    }
    const currency = (input.currency ?? 'USD').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw new BadRequestException('currency: must be an ISO 4217 code such as USD');
    return this.dataSource.getRepository(Practice).save({
      name,
      timeZone: input.timeZone,
      currency,
      openingHours: input.openingHours ?? DEFAULT_OPENING_HOURS,
      holidayRegion: input.holidayRegion ?? null,
      boardThresholds: DEFAULT_BOARD_THRESHOLDS,
    });
  }

  /** The practice; a 404 when there is none. `manager`: read in the caller's transaction. */
  async getPractice(practiceId: string, manager: EntityManager = this.dataSource.manager): Promise<PracticeRecord> {
    const practice = await manager.getRepository(Practice).findOneBy({ id: practiceId });
    if (!practice) throw new NotFoundException(`practice ${practiceId} not found`);
    return practice;
  }

  practiceExists(practiceId: string): Promise<boolean> {
    return this.dataSource.getRepository(Practice).existsBy({ id: practiceId });
  }

  listPractices(): Promise<PracticeRecord[]> {
    return this.dataSource.getRepository(Practice).find({ order: { createdAt: 'ASC' } });
  }

  /** Applies the changes in one transaction (all or nothing); the practice's boards rebuild with them
   * once it has committed (PracticeSettingsChangedV1). */
  updateSettings(practiceId: string, input: PracticeSettingsChanges): Promise<PracticeRecord> {
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
      return practice;
    });
  }

  async addStaff(practiceId: string, displayName: string, role: string = 'front_desk'): Promise<StaffRecord> {
    await this.getPractice(practiceId);
    const name = displayName.trim();
    if (!name || name.length > 40) throw new BadRequestException('name: a display name of 1 to 40 characters (first name or initials)');
    if (!STAFF_ROLES.includes(role as StaffRole)) throw new BadRequestException(`role: one of ${STAFF_ROLES.join(', ')}`);
    const repository = this.dataSource.getRepository(Staff);
    if (await repository.existsBy({ practiceId, displayName: name })) {
      throw new ConflictException(`staff "${name}" already exists in this practice`);
    }
    return repository.save({ practiceId, displayName: name, role: role as StaffRole, active: true });
  }

  /** The practice's staff by name; `activeFirst`: the active ones first (the admin's list). `manager`:
   * read in the caller's transaction. */
  listStaff(practiceId: string, options: { activeFirst?: boolean; manager?: EntityManager } = {}): Promise<StaffRecord[]> {
    const { activeFirst = false, manager = this.dataSource.manager } = options;
    const order = activeFirst ? ({ active: 'DESC', displayName: 'ASC' } as const) : ({ displayName: 'ASC' } as const);
    return manager.getRepository(Staff).find({ where: { practiceId }, order });
  }

  /** Adds a staff member from the admin pages: a 409 when the display name is taken, whatever its case. */
  async createStaffMember(practiceId: string, input: NewStaffMember): Promise<StaffRecord> {
    try {
      return await this.unitOfWork.run(async ({ manager }) => {
        await this.refuseDuplicateStaffName(manager, practiceId, input.displayName, null);
        const repository = manager.getRepository(Staff);
        return repository.save(repository.create({ practiceId, displayName: input.displayName, role: input.role, active: true }));
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateStaffName(input.displayName);
      throw error;
    }
  }

  /** Renames, changes the role of, or (de)activates a staff member of the practice (another practice's
   * is a 404). A rename rebuilds the practice's boards, so the TV's leaderboard shows the new name. */
  async updateStaffMember(practiceId: string, id: string, input: StaffChanges): Promise<StaffRecord> {
    try {
      return await this.unitOfWork.run(async ({ manager, publish }) => {
        const repository = manager.getRepository(Staff);
        const row = await repository.findOne({ where: { id, practiceId }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFoundException(`staff member ${id} not found`);
        const renamed = input.displayName !== undefined && input.displayName !== row.displayName;
        if (renamed) await this.refuseDuplicateStaffName(manager, practiceId, input.displayName!, row.id);
        const changes: Partial<Staff> = {};
        if (renamed) changes.displayName = input.displayName!;
        if (input.role !== undefined && input.role !== row.role) changes.role = input.role;
        if (input.active !== undefined && input.active !== row.active) changes.active = input.active;
        if (Object.keys(changes).length > 0) {
          await repository.update({ id: row.id }, changes);
          Object.assign(row, changes);
        }
        if (renamed) publish({ name: 'PracticeSettingsChangedV1', payload: { practiceId } });
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateStaffName(input.displayName ?? '');
      throw error;
    }
  }

  /** One display name per practice, whatever the case: "maya" and "Maya" would look the same on a TV. */
  private async refuseDuplicateStaffName(manager: EntityManager, practiceId: string, displayName: string, exceptId: string | null): Promise<void> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM staff WHERE practice_id = $1 AND lower(display_name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`,
      [practiceId, displayName, exceptId],
    );
    if (rows.length > 0) throw duplicateStaffName(displayName);
  }

  async addSource(practiceId: string, name: string, defaultChannel: string = 'other'): Promise<MarketingSource> {
    await this.getPractice(practiceId);
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw new BadRequestException('name: 1 to 200 characters');
    if (!CHANNELS.includes(defaultChannel as Channel)) throw new BadRequestException(`channel: one of ${CHANNELS.join(', ')}`);
    const existing = await this.dataSource
      .getRepository(MarketingSource)
      .createQueryBuilder('s')
      .where('s.practice_id = :practiceId AND lower(s.name) = lower(:name)', { practiceId, name: trimmed })
      .getOne();
    if (existing) throw new ConflictException(`source "${trimmed}" already exists in this practice`);
    return this.dataSource.getRepository(MarketingSource).save({ practiceId, name: trimmed, defaultChannel: defaultChannel as Channel });
  }

  async createIngestKey(practiceId: string, name = 'integration'): Promise<IssuedSecret> {
    await this.getPractice(practiceId);
    const key = await this.credentials.issueIngestKey(this.dataSource.manager, practiceId, name);
    return { id: key.id, practiceId, secret: key.secret };
  }

  async createDisplayToken(practiceId: string, name = 'TV'): Promise<IssuedSecret> {
    await this.getPractice(practiceId);
    const token = await this.credentials.issueDisplayToken(this.dataSource.manager, practiceId, name);
    return { id: token.id, practiceId, secret: token.secret };
  }
}
