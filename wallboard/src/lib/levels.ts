// Threshold colouring. A level is always shown with an icon and a word as well as a colour
// (see StatusBadge.svelte): colour must never be the only signal.

import type { BoardThresholds } from '$contracts/domain/domain';

export type Level = 'ok' | 'amber' | 'red';

/** Level of a waiting timer: amber from `waitingAmberSeconds`, red from `waitingRedSeconds`. */
export function waitingLevel(seconds: number | null, thresholds: BoardThresholds): Level {
  if (seconds === null) return 'ok';
  if (seconds >= thresholds.waitingRedSeconds) return 'red';
  if (seconds >= thresholds.waitingAmberSeconds) return 'amber';
  return 'ok';
}

/** Whether the missed-call rate is judged yet: `calls.inbound` has reached `calls.rateMinimumCalls`
 * (server/metrics' MISSED_RATE_MIN_CALLS). A server older than V1.1 sends no minimum: always judged. */
export function missedRateJudged(calls: { inbound: number; missedRate: number | null; rateMinimumCalls?: number }): boolean {
  return calls.missedRate !== null && (calls.rateMinimumCalls === undefined || calls.inbound >= calls.rateMinimumCalls);
}

/** Level of the missed-call rate: amber from `missedRateAmber`, red from `missedRateRed`; 'ok' while
 * there is no rate. Callers colour it only once missedRateJudged says the sample is big enough. */
export function missedRateLevel(rate: number | null, thresholds: BoardThresholds): Level {
  if (rate === null) return 'ok';
  if (rate >= thresholds.missedRateRed) return 'red';
  if (rate >= thresholds.missedRateAmber) return 'amber';
  return 'ok';
}
