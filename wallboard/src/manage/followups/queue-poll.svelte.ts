// The follow-up queue as reactive state, fetched again every REFRESH_MS, and a clock ticking every
// second for the live timers, corrected for the difference between the server's clock and this one.

import type { FollowUpQueueV1 } from '$contracts/followups/followups';
import { practiceTime, REFRESH_MS } from './queue.js';

export class QueuePoll {
  /** The last queue answered; null before the first answer. Replaced whole, never mutated. */
  queue = $state.raw<FollowUpQueueV1 | null>(null);
  /** Server clock minus this browser's, in ms, from the last answer. */
  skewMs = $state(0);
  /** This browser's clock (ms since the epoch), updated every second. */
  now = $state(Date.now());
  /** Whether a fetch is in flight. */
  loading = $state(false);
  /** When the last answer was made, as a clock time in the practice's zone; null before the first. */
  updatedAt = $state<string | null>(null);

  /**
   * @param fetchQueue one request for the queue
   * @param onLoaded called after each answer is applied
   * @param onError called with a failed request's error (the last queue stays shown)
   */
  constructor(
    private readonly fetchQueue: () => Promise<FollowUpQueueV1>,
    private readonly onLoaded: (queue: FollowUpQueueV1) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      const body = await this.fetchQueue();
      this.skewMs = Date.parse(body.generatedAt) - Date.now();
      this.queue = body;
      this.updatedAt = practiceTime(Date.parse(body.generatedAt), body.timeZone);
      this.onLoaded(body);
    } catch (error) {
      this.onError(error);
    } finally {
      this.loading = false;
    }
  }

  /** Loads now, then every REFRESH_MS, and starts the second ticker. Returns the stop function (for onMount). */
  start(): () => void {
    void this.load();
    const refresh = setInterval(() => void this.load(), REFRESH_MS);
    const tick = setInterval(() => (this.now = Date.now()), 1000);
    return () => {
      clearInterval(refresh);
      clearInterval(tick);
    };
  }
}
