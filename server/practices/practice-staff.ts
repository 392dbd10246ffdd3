// A staff member named by id in a write (a lead's assigned staff, a call's staff): read from the
// practices module's table in the caller's transaction, refused when not of the practice.

import { UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffRecord } from './practice-records.js';
import { Staff } from './staff.entity.js';

/** The staff member, checked to belong to the practice; a 422 naming the field if not. */
export async function staffOfPractice(manager: EntityManager, practiceId: string, staffId: string | undefined, field: string): Promise<StaffRecord | null> {
  if (staffId === undefined) return null;
  const staff = await manager.findOneBy(Staff, { id: staffId, practiceId });
  if (!staff) throw new UnprocessableEntityException(`${field}: no staff member ${staffId} in this practice`);
  return staff;
}

/** The display name of a staff member recorded earlier (a lead's first responder); null when none. */
export async function staffDisplayName(manager: EntityManager, staffId: string | null): Promise<string | null> {
  if (!staffId) return null;
  return (await manager.findOneBy(Staff, { id: staffId }))?.displayName ?? null;
}
