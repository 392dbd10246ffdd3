// The team leaderboard's numbers, all about one population: the leads a person gave the first reply
// to today.

import type { BoardStaffRowV1 } from '../../../server/live/board.contract.js';

/**
 * Of the leads this person replied to first today, how many are booked. The contract carries the
 * share (`conversionRate` = booked of handled / handled) and the count handled, both from the same
 * leads, so the count is their product; rounding only removes floating-point noise. 0 when none
 * handled. (The row's `bookings` counts bookings credited to the person today, which can include
 * leads someone else replied to, so it is not shown beside this rate.)
 */
export function bookedOfHandled(row: Pick<BoardStaffRowV1, 'leadsHandled' | 'conversionRate'>): number {
  if (row.conversionRate === null || row.leadsHandled <= 0) return 0;
  return Math.round(row.conversionRate * row.leadsHandled);
}
