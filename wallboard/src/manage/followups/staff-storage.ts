// "Who is working the queue", remembered on this browser (a staff id: not a secret). Storage can be
// refused (private mode): then the choice lasts for this page only.

import { STAFF_STORAGE } from './queue.js';

/** The remembered staff id, or '' when none is remembered or storage is unavailable. */
export function readStaff(): string {
  try {
    return localStorage.getItem(STAFF_STORAGE) ?? '';
  } catch {
    return '';
  }
}

/** Remembers `staffId`; '' forgets it. */
export function writeStaff(staffId: string): void {
  try {
    if (staffId) localStorage.setItem(STAFF_STORAGE, staffId);
    else localStorage.removeItem(STAFF_STORAGE);
  } catch {
    /* private mode: remembered for this page only */
  }
}
