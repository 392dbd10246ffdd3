// Setting a practice up: the practice itself, its staff, marketing sources, and the credentials of
// its integrations and TVs (issued by auth's CredentialsService, which owns them). Used by the CLI and
// the demo; the admin pages will call it too.

import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { IANAZone } from 'luxon';
import { DataSource } from 'typeorm';
import { CredentialsService } from '../auth/credentials.service.js';
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
import { Practice } from './practice.entity.js';
import { Staff } from './staff.entity.js';

export interface CreatePracticeInput {
  name: string;
  timeZone: string;
  currency?: string;
  openingHours?: OpeningHours;
  holidayRegion?: string | null;
}

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
    private readonly credentials: CredentialsService,
  ) {}

  async createPractice(input: CreatePracticeInput): Promise<Practice> {
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

  async getPractice(practiceId: string): Promise<Practice> {
    const practice = await this.dataSource.getRepository(Practice).findOneBy({ id: practiceId });
    if (!practice) throw new NotFoundException(`practice ${practiceId} not found`);
    return practice;
  }

  listPractices(): Promise<Practice[]> {
    return this.dataSource.getRepository(Practice).find({ order: { createdAt: 'ASC' } });
  }

  async addStaff(practiceId: string, displayName: string, role: string = 'front_desk'): Promise<Staff> {
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

  listStaff(practiceId: string): Promise<Staff[]> {
    return this.dataSource.getRepository(Staff).find({ where: { practiceId }, order: { displayName: 'ASC' } });
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
    return this.dataSource
      .getRepository(MarketingSource)
      .save({ practiceId, name: trimmed, defaultChannel: defaultChannel as Channel });
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
