// What the reports page hands every view: the props of every views/*View.svelte.
import type { Credentials } from '../../lib/api.js';
import type { ReportState } from './state.js';

export interface ViewProps {
  /** The signed-in session or API key every report is loaded with. */
  auth: Credentials;
  /** The API refused the credentials: back to the sign-in form with this message. */
  refused: (message: string) => void;
  /** What is shown: the view, date range ('YYYY-MM-DD', practice days), segment, sort and options, as in the URL. */
  page: ReportState;
  /** Changes the state (and the URL): `push` false replaces the history entry. */
  go: (next: ReportState, push?: boolean) => void;
  /** A report said which time zone the practice is in. */
  onTimeZone: (zone: string) => void;
}
