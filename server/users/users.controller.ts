import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '../auth/auth.service.js';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { openApiBody } from '../common/validation.js';
import { SESSION_COOKIE } from './sessions.js';
import { createUserSchema, UsersService, type CreateUserInput, type UserView } from './users.service.js';

/** User management: admins of the practice only (by session cookie; cookie requests send X-CSRF-Token). */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@Roles('admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create an admin or manager of this practice; without a password one is generated and returned once' })
  @ApiBody({ schema: openApiBody(createUserSchema) })
  async create(
    @CurrentPracticeId() practiceId: string,
    @Body({ schema: createUserSchema }) input: CreateUserInput,
  ): Promise<{ user: UserView; password?: string }> {
    const { user, generatedPassword } = await this.users.createUser(practiceId, input);
    return generatedPassword ? { user, password: generatedPassword } : { user };
  }

  @Get()
  @ApiOperation({ summary: "This practice's users" })
  list(@CurrentPracticeId() practiceId: string): Promise<UserView[]> {
    return this.users.listUsers(practiceId);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a user and end their sessions' })
  disable(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe()) userId: string,
    @Req() request: Request & { principal?: Principal },
  ): Promise<UserView> {
    const principal = request.principal;
    return this.users.disableUser(practiceId, userId, principal && 'userId' in principal ? principal.userId : null);
  }
}
