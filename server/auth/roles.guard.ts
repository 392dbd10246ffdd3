// One guard for every route: it finds the principal from EITHER the bearer credentials (an ingest key,
// a display token) OR the `lw_session` cookie (an admin or manager), then checks the route's roles.
//
// - Registered for the whole app (APP_GUARD in auth.module.ts): a route without @Roles is refused
//   (deny by default, so a new controller is never public by accident); @Public() opens one on purpose.
// - Bearer first: a request with an Authorization header is judged by it alone (no cookie fallback).
//   Bearer requests are not cookie-authenticated, so a browser cannot forge them: no CSRF token needed.
// - Cookie-authenticated requests that change state (anything but GET/HEAD/OPTIONS) must carry
//   `X-CSRF-Token` matching the session's token; SameSite=Strict on the cookie is defence in depth.
// - 401: no or unknown credentials; 403: known but not allowed here (wrong role, missing CSRF token).
// Every principal carries its practiceId, and every handler scopes its queries by it.

import { ForbiddenException, Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CSRF_HEADER, csrfMatches, readCookie, SESSION_COOKIE } from '../users/sessions.js';
import { AuthService, type Principal } from './auth.service.js';

export type Role = Principal['kind'];
export const ROLES_KEY = 'lw:roles';
export const PUBLIC_ROUTE = 'public' as const;

/** Who may call the route (on a controller or a handler; the handler's wins). */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROLES_KEY, roles);
/** A route anyone may call (health, login). */
export const Public = () => SetMetadata(ROLES_KEY, PUBLIC_ROUTE);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type AuthenticatedRequest = Request & { principal?: Principal };

function bearer(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Global for HTTP; a board socket is authenticated once, by its display token, in the gateway's handshake.
    if (context.getType() !== 'http') return true;
    const roles = this.reflector.getAllAndOverride<Role[] | typeof PUBLIC_ROUTE | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles === PUBLIC_ROUTE) return true;
    if (!roles || roles.length === 0) throw new ForbiddenException('this route declares no roles');
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.principal(request, roles);
    if (!roles.includes(principal.kind)) {
      throw new ForbiddenException(`this route is for: ${roles.join(', ')} (you are authenticated as ${principal.kind})`);
    }
    request.principal = principal;
    return true;
  }

  private async principal(request: Request, roles: Role[]): Promise<Principal> {
    // A TV's board page sends its display token as ?token= (GET only, and only where displays may read).
    const query = roles.includes('display') && SAFE_METHODS.has(request.method) && typeof request.query.token === 'string' ? request.query.token : undefined;
    const secret = bearer(request) ?? query;
    if (secret !== undefined) {
      const ingest = await this.auth.ingestPrincipal(secret);
      if (ingest) return ingest;
      const display = await this.auth.displayPrincipal(secret);
      if (display.ok) return display.principal;
      throw new UnauthorizedException(display.code === 'token_revoked' ? 'display token revoked' : 'invalid or revoked key or token');
    }
    const cookie = readCookie(request, SESSION_COOKIE);
    if (cookie === undefined) {
      throw new UnauthorizedException('not authenticated: log in, or send "Authorization: Bearer <key>"');
    }
    const session = await this.auth.sessionPrincipal(cookie);
    if (!session) throw new UnauthorizedException('session expired or logged out: log in again');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (!csrfMatches(typeof sent === 'string' ? sent : undefined, session.csrfTokenHash)) {
        throw new ForbiddenException('missing or wrong X-CSRF-Token header (send the csrfToken from login or /api/v1/auth/me)');
      }
    }
    return session.principal;
  }
}
