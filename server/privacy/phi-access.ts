// Every showing of patient details to a person is logged (DESIGN.md, "Access to patient details is
// logged"). Callers log in the same transaction or request that reads the details, before answering.

import type { EntityManager } from 'typeorm';
import { PhiAccessLog } from './phi-access-log.entity.js';

export interface PhiAccess {
  practiceId: string;
  /** The signed-in user; null only for system jobs. */
  userId: string | null;
  action: string;
  leadIds?: string[];
  callIds?: string[];
  /** Facts about the access (filters, row counts): never the details themselves. */
  detail?: Record<string, unknown>;
}

export async function logPhiAccess(manager: EntityManager, access: PhiAccess): Promise<void> {
  await manager.insert(PhiAccessLog, {
    practiceId: access.practiceId,
    userId: access.userId,
    action: access.action,
    leadIds: access.leadIds ?? [],
    callIds: access.callIds ?? [],
    detail: (access.detail ?? {}) as object,
  });
}
