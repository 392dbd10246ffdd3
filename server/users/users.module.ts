import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import type { AppConfig } from '../config/app-config.js';
import { AuthController, USERS_CONFIG, type UsersConfig } from './auth.controller.js';
import { DEFAULT_LOGIN_LIMITS, LOGIN_LIMITS, LoginRateLimitGuard } from './login-limiter.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Users, web login and sessions. Session cookies are resolved to principals by RolesGuard (auth/). */
@Module({})
export class UsersModule {
  static forRoot(config: Pick<AppConfig, 'publicUrl' | 'loginLimits'>): DynamicModule {
    const usersConfig: UsersConfig = { secureCookie: config.publicUrl.startsWith('https:') };
    return {
      module: UsersModule,
      global: true, // UsersService for the demo start and the CLI
      imports: [AuthModule],
      controllers: [AuthController, UsersController],
      providers: [
        UsersService,
        LoginRateLimitGuard,
        { provide: USERS_CONFIG, useValue: usersConfig },
        { provide: LOGIN_LIMITS, useValue: config.loginLimits ?? DEFAULT_LOGIN_LIMITS },
      ],
      exports: [UsersService],
    };
  }
}
