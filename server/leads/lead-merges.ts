// One lead per person, by hand: a lead marked as a touch of another lead of the same person (a merge,
// logged in lead_merge and reversible), and the undoing of a merge. Merges are one level deep: always
// into a lead that is not itself merged. Each runs inside the caller's transaction.

import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work.js';
import { Lead } from './lead.entity.js';
import { toView, type LeadView } from './lead-view.js';

@Injectable()
export class LeadMerges {
  /**
   * Marks the new lead as a touch of `into`'s person, logged like a manual merge (and so reversible).
   * Merges stay one level deep: the lead goes to the end of `into`'s chain (the person's lead), and
   * leads already merged into this one move with it. A merge whose person's lead is this lead itself
   * would make a cycle (A into B, B into C, C into A) and is refused with the chain as the reason.
   */
  async merge(tx: Tx, practiceId: string, leadId: string, into: string, userId: string | null): Promise<void> {
    const [lead]: Array<{ merged_into_lead_id: string | null; created_at: Date }> = await tx.manager.query(
      `SELECT merged_into_lead_id, created_at FROM lead WHERE practice_id = $1 AND id = $2 FOR UPDATE`,
      [practiceId, leadId],
    );
    if (lead?.merged_into_lead_id) return; // already merged by the one-lead-per-person rule at creation
    const { chain, ends } = await personsLeadChain(tx, practiceId, into);
    const personsLead = chain[chain.length - 1]!;
    if (chain.includes(leadId) || !ends) {
      throw new UnprocessableEntityException(
        personsLead === into && into === leadId
          ? 'mergedIntoLeadId: a lead cannot be merged into itself'
          : `mergedIntoLeadId: merging ${leadId} into ${into} would make a cycle (${[leadId, ...chain].join(' -> ')})`,
      );
    }
    await tx.manager.query(`UPDATE lead SET merged_into_lead_id = $3, updated_at = now() WHERE practice_id = $1 AND id = $2`, [
      practiceId,
      leadId,
      personsLead,
    ]);
    // Touches of this lead become touches of the person's lead: never a chain of two.
    await tx.manager.query(`UPDATE lead SET merged_into_lead_id = $3, updated_at = now() WHERE practice_id = $1 AND merged_into_lead_id = $2`, [
      practiceId,
      leadId,
      personsLead,
    ]);
    await tx.manager.query(`INSERT INTO lead_merge (practice_id, lead_id, into_lead_id, matched_on, merged_by_user_id) VALUES ($1, $2, $3, 'manual', $4)`, [
      practiceId,
      leadId,
      personsLead,
      userId,
    ]);
    tx.publish({ name: 'LeadMergedV1', payload: { practiceId, leadId, intoLeadId: personsLead, at: lead!.created_at } });
  }

  /** Undoes a merge: the lead counts as a lead of its own again (from its own creation time). Events
   * applied to the person's lead while it was merged stay there. Logged in lead_merge. */
  async unmerge(tx: Tx, practiceId: string, leadId: string, userId: string | null): Promise<LeadView> {
    const { manager } = tx;
    const lead = await manager
      .createQueryBuilder(Lead, 'lead')
      .setLock('pessimistic_write')
      .where('lead.id = :leadId AND lead.practice_id = :practiceId', { leadId, practiceId })
      .getOne();
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    if (!lead.mergedIntoLeadId) throw new ConflictException('lead is not merged into another lead');
    await manager.update(Lead, { id: lead.id }, { mergedIntoLeadId: null, updatedAt: new Date() });
    await manager.query(
      `UPDATE lead_merge SET undone_at = now(), undone_by_user_id = $3
        WHERE practice_id = $1 AND lead_id = $2 AND undone_at IS NULL`,
      [practiceId, lead.id, userId],
    );
    lead.mergedIntoLeadId = null;
    const [source]: Array<{ name: string }> = lead.sourceId ? await manager.query(`SELECT name FROM marketing_source WHERE id = $1`, [lead.sourceId]) : [];
    tx.publish({
      name: 'LeadUnmergedV1',
      payload: { practiceId, leadId: lead.id, createdAt: lead.createdAt, channel: lead.channel, source: source?.name ?? null, isNewPatient: lead.isNewPatient },
    });
    return toView(lead);
  }
}

/** How far personsLeadChain follows merges: one step is the rule, the rest only finds bad data. */
const MAX_MERGE_CHAIN = 8;

/** The chain of merges from a lead to its person's lead: `chain` is [lead, ..., person's lead], and
 * `ends` is false when it goes round or runs past MAX_MERGE_CHAIN (bad data: no person's lead).
 * Bounded, so a cycle in the data can never make it loop. */
export async function personsLeadChain(tx: Tx, practiceId: string, leadId: string): Promise<{ chain: string[]; ends: boolean }> {
  const chain = [leadId];
  for (let step = 0; step < MAX_MERGE_CHAIN; step++) {
    const [row]: Array<{ merged_into_lead_id: string | null }> = await tx.manager.query(
      `SELECT merged_into_lead_id FROM lead WHERE practice_id = $1 AND id = $2`,
      [practiceId, chain[chain.length - 1]],
    );
    const next = row?.merged_into_lead_id ?? null;
    if (next === null) return { chain, ends: true };
    chain.push(next);
    if (chain.indexOf(next) !== chain.length - 1) return { chain, ends: false };
  }
  return { chain, ends: false };
}
