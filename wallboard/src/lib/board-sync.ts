// The rules for keeping a TV in step with the server, free of socket.io so they can be unit-tested.
// The wiring to socket.io-client lives in board-connection.svelte.ts.

import type { BoardErrorV1 } from '$contracts/live/board';

export type RefusalCode = BoardErrorV1['code'];

const REFUSAL_CODES: readonly RefusalCode[] = ['token_missing', 'token_invalid', 'token_revoked'];

const isRefusalCode = (value: unknown): value is RefusalCode => typeof value === 'string' && (REFUSAL_CODES as readonly string[]).includes(value);

/**
 * The refusal reason in a socket.io `connect_error`, or `null` for any other failure (network
 * down, server restarting), which is worth retrying. The server sets the error's `message` to the
 * code and its `data` to a BoardErrorV1; either is enough.
 */
export function refusalCode(error: unknown): RefusalCode | null {
  if (typeof error !== 'object' || error === null) return null;
  const { message, data } = error as { message?: unknown; data?: unknown };
  if (isRefusalCode(message)) return message;
  if (typeof data === 'object' && data !== null && isRefusalCode((data as { code?: unknown }).code)) {
    return (data as { code: RefusalCode }).code;
  }
  return null;
}

/**
 * Whether to apply a `board:update` with sequence number `seq` after the last applied `lastSeq`
 * (`null` before anything was applied). Each update carries the whole state, so skipping a stale
 * or repeated one loses nothing. A `board:snapshot` is always applied and resets `lastSeq`.
 */
export function shouldApplyUpdate(lastSeq: number | null, seq: number): boolean {
  return lastSeq === null || seq > lastSeq;
}

export interface RefusalMessage {
  title: string;
  detail: string;
}

/** The full-screen message for each refusal: what happened, and who can fix it. */
export const REFUSAL_MESSAGES: Record<RefusalCode, RefusalMessage> = {
  token_missing: {
    title: 'This display has no board token',
    detail: 'Open the full board link from your practice admin — it ends in ?token=…',
  },
  token_invalid: {
    title: "This display's token is not valid",
    detail: 'Ask your practice admin for a new board link.',
  },
  token_revoked: {
    title: "This display's token was revoked",
    detail: 'Ask your practice admin for a new board link.',
  },
};

export interface Backoff {
  baseMs: number;
  maxMs: number;
  /** 0..1: how far a delay may be randomised either way, so TVs do not all retry at once. */
  jitter: number;
}

/** The same policy socket.io-client is given for its own reconnects. */
export const RECONNECT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 30_000, jitter: 0.5 };

/**
 * Delay before retry number `attempt` (0-based): base × 2^attempt, randomised by ±jitter, capped
 * at max. Used only where socket.io-client will not retry by itself (the server dropped us).
 */
export function backoffDelayMs(attempt: number, policy: Backoff = RECONNECT_BACKOFF, random = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const spread = exp * policy.jitter * (random() * 2 - 1);
  return Math.round(Math.min(policy.maxMs, Math.max(policy.baseMs / 2, exp + spread)));
}
