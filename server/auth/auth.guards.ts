import {
  createParamDecorator,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { AuthService, type Principal } from './auth.service.js';

type AuthenticatedRequest = Request & { principal?: Principal };

function bearer(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

const CHALLENGE = 'send "Authorization: Bearer <key>"';

/** Ingest API: an ingest key, which decides the practice. */
@Injectable()
export class IngestKeyGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = bearer(request);
    if (!secret) throw new UnauthorizedException(`missing ingest key: ${CHALLENGE}`);
    const principal = await this.auth.ingestPrincipal(secret);
    if (!principal) throw new UnauthorizedException('invalid or revoked ingest key');
    request.principal = principal;
    return true;
  }
}

/** Board readers: a TV's display token (Bearer or `?token=`) or an ingest key. */
@Injectable()
export class BoardReaderGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const query = typeof request.query.token === 'string' ? request.query.token : undefined;
    const secret = bearer(request) ?? query;
    if (!secret) throw new UnauthorizedException(`missing display token or ingest key: ${CHALLENGE} or ?token=`);
    const ingest = await this.auth.ingestPrincipal(secret);
    if (ingest) {
      request.principal = ingest;
      return true;
    }
    const display = await this.auth.displayPrincipal(secret);
    if (!display.ok) {
      throw new UnauthorizedException(display.code === 'token_revoked' ? 'display token revoked' : 'invalid display token or ingest key');
    }
    request.principal = display.principal;
    return true;
  }
}

/** The practice of the authenticated principal; every query of the route is scoped by it. */
export const CurrentPracticeId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('not authenticated');
  return principal.practiceId;
});
