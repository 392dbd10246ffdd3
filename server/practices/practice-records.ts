// A practice and a staff member as other features read them. The practices module owns the tables;
// a feature gets these from PracticesService (or practice-staff.ts inside its transaction) and never
// imports the entities, so one module decides how the rows are read and written.

import type { BoardThresholds, OpeningHours, StaffRole } from '../domain/domain.contract.js';

export interface PracticeRecord {
  id: string;
  name: string;
  /** IANA time zone: "today", "this hour" and "this month" are reckoned in it. */
  timeZone: string;
  openingHours: OpeningHours;
  /** ISO 4217 code. */
  currency: string;
  /** ISO 3166 country (and optional region, "US-TX") for public holidays; null: none. */
  holidayRegion: string | null;
  boardThresholds: BoardThresholds;
  /** A lead with the phone or email of a lead from the last this-many hours is merged into it (0: never). */
  leadMergeWindowHours: number;
  createdAt: Date;
}

export interface StaffRecord {
  id: string;
  practiceId: string;
  /** What a TV shows: a first name or initials, never a full name. */
  displayName: string;
  role: StaffRole;
  active: boolean;
  createdAt: Date;
}
