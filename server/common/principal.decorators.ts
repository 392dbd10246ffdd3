// Who is calling, as handler parameters: the principal RolesGuard authenticated (auth/roles.guard.ts),
// read from the request. A route reaching a handler without one is a wiring mistake, answered 401.

import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../auth/auth.service.js';

type AuthenticatedRequest = Request & { principal?: Principal };

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('not authenticated');
  return principal;
}

/** Who is asking, for a role check inside a handler and the access log. */
export interface Caller {
  role: Principal['kind'];
  /** The signed-in user, or null for a key or a display token. */
  userId: string | null;
}

/** The practice of the principal RolesGuard authenticated; every query of the route is scoped by it. */
export const CurrentPracticeId = createParamDecorator((_: unknown, context: ExecutionContext): string => principalOf(context).practiceId);

/** The signed-in user's id (admin, manager, front desk), or null for a key or token: for audit logs. */
export const CurrentUserId = createParamDecorator((_: unknown, context: ExecutionContext): string | null => {
  const principal = principalOf(context);
  return 'userId' in principal ? principal.userId : null;
});

/** The signed-in caller: role and user id (for the role check of patient details and the access log). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const principal = principalOf(context);
  return { role: principal.kind, userId: 'userId' in principal ? principal.userId : null };
});
