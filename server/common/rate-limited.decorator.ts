// The per-key rate limit, declared on the route: `@RateLimited(keyOf)` on a handler puts it under the
// ingest budget (INGEST_RATE_PER_SECOND, INGEST_BURST), counted per key that `keyOf` reads from the
// request. RateLimitInterceptor (ratelimit/rate-limit.ts) reads it; a handler without it is not limited.

import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../auth/auth.service.js';

/** The request as the interceptor sees it: after the guards, which set the principal (RolesGuard) or
 * the verified integration (WebhookSignatureGuard). */
export type RateLimitedRequest = Request & { principal?: Principal; integration?: { id: string } };

/** The key whose budget a request spends; undefined lets it through uncounted. */
export type RateLimitKey = (request: RateLimitedRequest) => string | undefined;

export const RATE_LIMIT_KEY = 'lw:rate-limit-key';

/** Limits the handler per key (see the file comment). */
export const RateLimited = (keyOf: RateLimitKey) => SetMetadata(RATE_LIMIT_KEY, keyOf);

/** Keyed by the credential that sent the request: each ingest key of a practice has its own budget; a
 * logged-in admin or manager (importing a CSV) is keyed by their user id. */
export const byPrincipal: RateLimitKey = (request) => {
  const principal = request.principal;
  if (!principal) return undefined;
  return 'userId' in principal ? `user:${principal.userId}` : `${principal.kind}:${principal.credentialId}`;
};
