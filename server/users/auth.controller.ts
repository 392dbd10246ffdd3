import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { LoginRateLimitGuard } from './login-limiter.js';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/auth.service.js';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { Public, Roles } from '../auth/roles.guard.js';
import { openApiBody } from '../common/validation.js';
import { csrfTokenFor, readCookie, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './sessions.js';
import { LOGIN_REFUSED, LoginRefused, loginSchema, UsersService, type LoginInput, type UserView } from './users.service.js';

export const USERS_CONFIG = Symbol('USERS_CONFIG');
export interface UsersConfig {
  /** Secure cookies when the public URL is https. */
  secureCookie: boolean;
}

type SessionRequest = Request & { principal?: Principal };

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(LoginRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in (admin or manager): sets the HttpOnly lw_session cookie, returns the user and the CSRF token for X-CSRF-Token' })
  @ApiBody({ schema: openApiBody(loginSchema) })
  @ApiResponse({ status: 401, description: 'Wrong email or password, or the account is locked (one message for all).' })
  @ApiResponse({ status: 429, description: 'Too many login attempts from this address or for this account.' })
  async login(
    @Body({ schema: loginSchema }) input: LoginInput,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ user: UserView; csrfToken: string; expiresAt: string }> {
    try {
      const result = await this.users.login(input);
      response.cookie(SESSION_COOKIE, result.sessionSecret, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: this.config.secureCookie,
        maxAge: SESSION_ABSOLUTE_MS,
      });
      response.setHeader('Cache-Control', 'no-store');
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    } catch (error) {
      if (error instanceof LoginRefused) throw new UnauthorizedException(LOGIN_REFUSED);
      throw error;
    }
  }

  @Post('logout')
  @Roles('admin', 'manager', 'front_desk')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Log out: revokes the session (cookie + X-CSRF-Token) and clears the cookie' })
  async logout(@Req() request: SessionRequest, @Res({ passthrough: true }) response: Response): Promise<void> {
    const principal = request.principal;
    if (principal && 'sessionId' in principal) await this.users.logout(principal.sessionId);
    response.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.secureCookie });
  }

  @Get('me')
  @Roles('admin', 'manager', 'front_desk')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'The logged-in user, and the CSRF token again (for a reloaded page)' })
  async me(@Req() request: SessionRequest, @CurrentPracticeId() practiceId: string): Promise<{ user: UserView; csrfToken: string }> {
    const principal = request.principal;
    if (!principal || !('userId' in principal)) throw new UnauthorizedException('not logged in');
    const response = { user: await this.users.getUser(practiceId, principal.userId), csrfToken: csrfTokenFor(readCookie(request, SESSION_COOKIE)!) };
    return response;
  }
}
