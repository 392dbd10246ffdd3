import type { Tx } from '../database/unit-of-work.js';

/** The practice's staff by display name (lower-cased): exports name staff, imports find them by name,
 * so a file moves between practices whose staff have the same display names. */
export async function staffByName(tx: Tx, practiceId: string): Promise<Map<string, string>> {
  const rows: Array<{ id: string; display_name: string }> = await tx.manager.query(`SELECT id, display_name FROM staff WHERE practice_id = $1`, [practiceId]);
  return new Map(rows.map((row) => [row.display_name.toLowerCase(), row.id]));
}
