// What the reports page hands every view.
import type { Credentials } from '../../lib/api.js';
import type { ReportState } from './state.js';

export interface ViewProps {
  auth: Credentials;
  /** The API refused the credentials: back to the sign-in form with this message. */
  refused: (message: string) => void;
  page: ReportState;
  /** Changes the state (and the URL): `push` false replaces the history entry. */
  go: (next: ReportState, push?: boolean) => void;
  /** A report said which time zone the practice is in. */
  onTimeZone: (zone: string) => void;
}
