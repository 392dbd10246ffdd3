// A staff member named by id in a write (a lead's assigned staff, a call's staff): read from the
// practices module's table, refused when not of the practice.

import { UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Staff } from './staff.entity.js';

/** The staff member, checked to belong to the practice; a 422 naming the field if not. */
export async function staffOfPractice(
  manager: EntityManager,
  practiceId: string,
  staffId: string | undefined,
  field: string,
): Promise<Staff | null> {
  if (staffId === undefined) return null;
  const staff = await manager.findOneBy(Staff, { id: staffId, practiceId });
  if (!staff) throw new UnprocessableEntityException(`${field}: no staff member ${staffId} in this practice`);
  return staff;
}
