// The team leaderboard's numbers, all about one population: the leads a person gave the first reply
// to today.

import type { BoardStaffRowV1 } from '$contracts/live/board';

/**
 * Of the leads this person replied to first today, how many are booked: the row's own count
 * (`handledBooked`, the numerator of `conversionRate`, counted by the server from the same leads).
 * A server older than V1.1 sends only the share, and the count is then rebuilt from it. 0 when none
 * handled. (The row's `bookings` counts bookings credited to the person today, which can include
 * leads someone else replied to, so it is not shown beside this rate.)
 */
export function bookedOfHandled(row: Pick<BoardStaffRowV1, 'leadsHandled' | 'conversionRate' | 'handledBooked'>): number {
  if (row.handledBooked !== undefined) return row.handledBooked;
  if (row.conversionRate === null || row.leadsHandled <= 0) return 0;
  return Math.round(row.conversionRate * row.leadsHandled);
}
