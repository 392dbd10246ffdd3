// Marketing sources and campaigns named by a lead: found by name (case-insensitive) or created on
// first use. The practices module owns these tables; a lead's creation asks here, inside its own
// transaction, so a new source commits with the lead that named it or not at all.

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../domain/domain.constants.js';

@Injectable()
export class MarketingSourcesService {
  /** The practice's source with this name, created on first use with `channel` as its default channel. */
  async sourceNamed(manager: EntityManager, practiceId: string, name: string, channel: Channel): Promise<{ id: string; name: string }> {
    const find = (): Promise<Array<{ id: string; name: string }>> =>
      manager.query(`SELECT id, name FROM marketing_source WHERE practice_id = $1 AND lower(name) = lower($2)`, [practiceId, name]);
    const [found] = await find();
    if (found) return found;
    // ON CONFLICT: two leads naming a new source at once; the second finds the first's row.
    await manager.query(
      `INSERT INTO marketing_source (practice_id, name, default_channel) VALUES ($1, $2, $3)
       ON CONFLICT (practice_id, lower(name)) DO NOTHING`,
      [practiceId, name, channel],
    );
    return (await find())[0]!;
  }

  /** The source's campaign with this name, created on first use. */
  async campaignNamed(manager: EntityManager, practiceId: string, sourceId: string, name: string): Promise<{ id: string }> {
    const find = (): Promise<Array<{ id: string }>> =>
      manager.query(`SELECT id FROM campaign WHERE source_id = $1 AND lower(name) = lower($2)`, [sourceId, name]);
    const [found] = await find();
    if (found) return found;
    await manager.query(
      `INSERT INTO campaign (practice_id, source_id, name) VALUES ($1, $2, $3) ON CONFLICT (source_id, lower(name)) DO NOTHING`,
      [practiceId, sourceId, name],
    );
    return (await find())[0]!;
  }
}
