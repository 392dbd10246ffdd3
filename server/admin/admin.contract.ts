// What the administration API answers: one definition, used by the server and imported by the admin
// page with `import type`, so the two can never drift. Types only.

import type { BoardThresholds, OpeningHours, StaffRole, UserRole } from '../domain/domain.contract.js';

/** A user as the users API answers it: never the password hash. */
export interface UserView {
  id: string;
  practiceId: string;
  email: string;
  displayName: string;
  role: UserRole;
  createdAt: string;
  disabledAt: string | null;
}

/** A key or a TV in a list: never its secret nor its digest. */
export interface CredentialView {
  id: string;
  name: string;
  /** The first characters of the secret, to tell them apart ("lwk_3fA9xQ"). */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedIngestKey extends CredentialView {
  /** The key itself: shown this once. */
  key: string;
}

export interface CreatedDisplay extends CredentialView {
  /** The display token: shown this once. */
  token: string;
  /** The link the TV opens, with its token: shown this once. */
  boardUrl: string;
}

export interface StaffView {
  id: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
  createdAt: string;
}

export interface SettingsView {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  holidayRegion: string | null;
  openingHours: OpeningHours;
  boardThresholds: BoardThresholds;
  leadMergeWindowHours: number;
}
