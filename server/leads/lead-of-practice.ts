// A lead named by id in another feature's write (a call's lead): checked against the leads module's
// table, in the caller's transaction, and refused when not of the practice. A plain function, not
// LeadsService: the calls module cannot import LeadsModule (LeadsModule imports CallsModule).

import { UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Lead } from './lead.entity.js';

/** Passes when the lead belongs to the practice (or none is named); a 422 naming the field if not. */
export async function requireLeadOfPractice(manager: EntityManager, practiceId: string, leadId: string | undefined, field: string): Promise<void> {
  if (leadId === undefined) return;
  if (!(await manager.existsBy(Lead, { id: leadId, practiceId }))) {
    throw new UnprocessableEntityException(`${field}: no lead ${leadId} in this practice`);
  }
}
