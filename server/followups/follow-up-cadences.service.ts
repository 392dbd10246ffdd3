// The follow-up cadences: the built-in default, the practice's own default, and per-channel overrides.

import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CHANNELS, type CadenceTarget, type Channel } from '../domain/domain.contract.js';
import { DEFAULT_CADENCE } from './cadence.js';
import { FollowUpCadence } from './follow-up-cadence.entity.js';
import { FollowUpCountsCache } from './follow-up-counts-cache.js';
import type { Cadence, CadencesV1, CadenceViewV1 } from './followups.contract.js';
import { cadenceTargetSchema, type PutCadenceInput } from './followups.schemas.js';

@Injectable()
export class FollowUpCadencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly countsCache: FollowUpCountsCache,
  ) {}

  async getCadences(practiceId: string): Promise<CadencesV1> {
    const configured = await this.dataSource.getRepository(FollowUpCadence).findBy({ practiceId });
    const byTarget = new Map(configured.map((row) => [row.channel, row]));
    const practiceDefault = byTarget.get('default');
    const defaultView: CadenceViewV1 = practiceDefault
      ? { steps: practiceDefault.steps, maxAttempts: practiceDefault.maxAttempts, origin: 'practice' }
      : { ...structuredClone(DEFAULT_CADENCE), origin: 'built_in' };
    const channels = {} as Record<Channel, CadenceViewV1>;
    for (const channel of CHANNELS) {
      const override = byTarget.get(channel);
      channels[channel] = override ? { steps: override.steps, maxAttempts: override.maxAttempts, origin: 'channel' } : defaultView;
    }
    return { default: defaultView, channels };
  }

  /** Sets the practice default or a channel's override; `{ useDefault: true }` removes it. */
  async putCadence(practiceId: string, target: string, input: PutCadenceInput, userId: string | null): Promise<CadencesV1> {
    const parsed = cadenceTargetSchema.safeParse(target);
    if (!parsed.success) throw new BadRequestException(`channel: must be one of default, ${CHANNELS.join(', ')} (got "${target}")`);
    await this.unitOfWork.run(async ({ manager }) => {
      const repository = manager.getRepository(FollowUpCadence);
      if ('useDefault' in input) {
        await repository.delete({ practiceId, channel: parsed.data });
      } else {
        await repository.upsert(
          { practiceId, channel: parsed.data, steps: input.steps, maxAttempts: input.maxAttempts, updatedAt: new Date(), updatedByUserId: userId },
          ['practiceId', 'channel'],
        );
      }
    });
    this.countsCache.invalidate(practiceId);
    return this.getCadences(practiceId);
  }

  /** The practice's configured cadences (the default and channel overrides), by target. */
  async configured(practiceId: string): Promise<Map<CadenceTarget, Cadence>> {
    const rows = await this.dataSource.getRepository(FollowUpCadence).findBy({ practiceId });
    return new Map(rows.map((row) => [row.channel, { steps: row.steps, maxAttempts: row.maxAttempts }]));
  }
}
