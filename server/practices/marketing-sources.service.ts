// Marketing sources and campaigns named by a lead or a spend import: found by name (case-insensitive)
// or created on first use; and spend recorded against them. The practices module owns these tables; a
// caller asks here inside its own transaction, so a new source commits with the lead or the spend that
// named it, or not at all.

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../domain/domain.contract.js';
import { MarketingSpend } from './marketing.entities.js';

/** A source or campaign found or made; `created` when this call made it. */
export interface NamedRow {
  id: string;
  name: string;
  created: boolean;
}

/** Money spent on a source (or one of its campaigns) in a month. */
export interface MonthlySpend {
  practiceId: string;
  sourceId: string;
  campaignId: string | null;
  /** First day of the month, practice-local ('YYYY-MM-01'). */
  month: string;
  amount: number;
}

@Injectable()
export class MarketingSourcesService {
  /** The practice's source with this name, created on first use with `defaultChannel`. */
  sourceNamed(manager: EntityManager, practiceId: string, name: string, defaultChannel: Channel): Promise<NamedRow> {
    return findOrCreate(
      manager,
      `SELECT id, name FROM marketing_source WHERE practice_id = $1 AND lower(name) = lower($2)`,
      [practiceId, name],
      `INSERT INTO marketing_source (practice_id, name, default_channel) VALUES ($1, $2, $3)
       ON CONFLICT (practice_id, lower(name)) DO NOTHING RETURNING id, name`,
      [practiceId, name, defaultChannel],
    );
  }

  /** The source's campaign with this name, created on first use. */
  campaignNamed(manager: EntityManager, practiceId: string, sourceId: string, name: string): Promise<NamedRow> {
    return findOrCreate(
      manager,
      `SELECT id, name FROM campaign WHERE source_id = $1 AND lower(name) = lower($2)`,
      [sourceId, name],
      `INSERT INTO campaign (practice_id, source_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (source_id, lower(name)) DO NOTHING RETURNING id, name`,
      [practiceId, sourceId, name],
    );
  }

  /** Inserts the spend rows as given (the demo's seeded months); a month already spent on is an error. */
  async insertSpend(manager: EntityManager, rows: MonthlySpend[]): Promise<void> {
    if (rows.length > 0) await manager.getRepository(MarketingSpend).insert(rows);
  }
}

/** Finds the row, else inserts it. ON CONFLICT covers two callers naming a new one at once: the second
 * inserts nothing and then finds the first's row. */
async function findOrCreate(manager: EntityManager, findSql: string, findParams: unknown[], insertSql: string, insertParams: unknown[]): Promise<NamedRow> {
  const find = (): Promise<Array<{ id: string; name: string }>> => manager.query(findSql, findParams);
  const [found] = await find();
  if (found) return { ...found, created: false };
  const [inserted]: Array<{ id: string; name: string }> = await manager.query(insertSql, insertParams);
  if (inserted) return { ...inserted, created: true };
  return { ...(await find())[0]!, created: false };
}
