// The leads module's door for other features: the ingest port, the CSV imports, the follow-up actions
// and the actual values write a lead only through here (the module's own controller calls its jobs
// directly). Every method runs inside a caller's transaction (`Tx`) and queues its domain events there,
// so the board hears of a change only once it is durable. The jobs live in their own files: arrival and
// same-person detection (lead-intake.ts), the status machine (lead-status-machine.ts), merges
// (lead-merges.ts); the small writes other features ask for are here.

import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { returningRows } from '../database/returning-rows.js';
import type { Tx } from '../database/unit-of-work.js';
import type { CreateLeadInput, LeadEventInput } from './lead.schemas.js';
import type { IngestResult } from '../common/ingest-result.js';
import { LeadIntake } from './lead-intake.js';
import { LeadMerges } from './lead-merges.js';
import { LeadStatusMachine } from './lead-status-machine.js';
import type { LeadView } from './lead-view.js';

@Injectable()
export class LeadsService {
  constructor(
    private readonly intake: LeadIntake,
    private readonly statusMachine: LeadStatusMachine,
    private readonly merges: LeadMerges,
  ) {}

  /** A new lead (idempotent by external id): `created` is false when it already existed. */
  create(tx: Tx, practiceId: string, input: CreateLeadInput): Promise<IngestResult<LeadView>> {
    return this.intake.create(tx, practiceId, input);
  }

  /** What happened to a lead (idempotent by event id): `created` is false when nothing changed. */
  applyEvent(tx: Tx, practiceId: string, leadId: string, input: LeadEventInput): Promise<IngestResult<LeadView>> {
    return this.statusMachine.applyEvent(tx, practiceId, leadId, input);
  }

  /** Marks `leadId` as a touch of `into`'s person (logged, reversible); `userId`: who, if anyone. */
  merge(tx: Tx, practiceId: string, leadId: string, into: string, userId: string | null): Promise<void> {
    return this.merges.merge(tx, practiceId, leadId, into, userId);
  }

  /** Undoes a merge: the lead counts as a lead of its own again. */
  unmerge(tx: Tx, practiceId: string, leadId: string, userId: string | null): Promise<LeadView> {
    return this.merges.unmerge(tx, practiceId, leadId, userId);
  }

  /** Marks the lead do-not-contact (or lifts it); repeating it changes nothing. 404: not this practice's lead. */
  async markDoNotContact(tx: Tx, practiceId: string, leadId: string, doNotContact: boolean): Promise<{ changed: boolean; doNotContactAt: Date | null }> {
    const sql = doNotContact
      ? `UPDATE lead SET do_not_contact_at = now(), updated_at = now()
          WHERE id = $1 AND practice_id = $2 AND do_not_contact_at IS NULL RETURNING do_not_contact_at`
      : `UPDATE lead SET do_not_contact_at = NULL, updated_at = now()
          WHERE id = $1 AND practice_id = $2 AND do_not_contact_at IS NOT NULL RETURNING do_not_contact_at`;
    const updated = returningRows<{ do_not_contact_at: Date | null }>(await tx.manager.query(sql, [leadId, practiceId]));
    if (updated.length > 0) {
      tx.publish({ name: 'LeadDoNotContactV1', payload: { practiceId, leadId, doNotContact } });
      return { changed: true, doNotContactAt: updated[0]!.do_not_contact_at };
    }
    const [lead]: Array<{ do_not_contact_at: Date | null }> = await tx.manager.query(`SELECT do_not_contact_at FROM lead WHERE id = $1 AND practice_id = $2`, [
      leadId,
      practiceId,
    ]);
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    return { changed: false, doNotContactAt: lead.do_not_contact_at };
  }

  /** Sets (or, with null, clears) what the lead's treatment really brought in; only actual_value and
   * updated_at change. 404: not this practice's lead; 422: a merged lead (its value belongs on the
   * lead it was merged into, the only one reports count). Answers the value as stored. */
  async setActualValue(tx: Tx, practiceId: string, leadId: string, actualValue: number | null): Promise<number | null> {
    const [lead]: Array<{ merged_into_lead_id: string | null }> = await tx.manager.query(
      `SELECT merged_into_lead_id FROM lead WHERE practice_id = $1 AND id = $2`,
      [practiceId, leadId],
    );
    if (!lead) throw new NotFoundException(`lead ${leadId} not found`);
    if (lead.merged_into_lead_id) {
      throw new UnprocessableEntityException(`lead ${leadId} is merged into lead ${lead.merged_into_lead_id}: set the actual value on that lead`);
    }
    const [row] = returningRows<{ actual_value: string | null }>(
      await tx.manager.query(
        `UPDATE lead SET actual_value = $3, updated_at = now() WHERE practice_id = $1 AND id = $2 RETURNING actual_value::text AS actual_value`,
        [practiceId, leadId, actualValue],
      ),
    );
    const value = row?.actual_value ?? null;
    return value === null ? null : Number(value);
  }

  /** Several leads' actual values in one statement (a CSV import, checked by the caller): `value` is
   * an amount as text for numeric, or null to clear. */
  async setActualValues(tx: Tx, practiceId: string, values: ReadonlyArray<{ leadId: string; value: string | number | null }>): Promise<void> {
    if (values.length === 0) return;
    await tx.manager.query(
      `UPDATE lead l SET actual_value = u.value, updated_at = now()
         FROM unnest($2::uuid[], $3::numeric[]) AS u(id, value)
        WHERE l.practice_id = $1 AND l.id = u.id`,
      [practiceId, values.map((v) => v.leadId), values.map((v) => v.value)],
    );
  }
}
