import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './auth.service.js';

type AuthenticatedRequest = Request & { principal?: Principal };

/** The practice of the principal RolesGuard authenticated; every query of the route is scoped by it. */
export const CurrentPracticeId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('not authenticated');
  return principal.practiceId;
});

/** The signed-in user's id (admin, manager, front desk), or null for a key or token: for audit logs. */
export const CurrentUserId = createParamDecorator((_: unknown, context: ExecutionContext): string | null => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('not authenticated');
  return 'userId' in principal ? principal.userId : null;
});
