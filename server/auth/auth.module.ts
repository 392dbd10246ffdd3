import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthService } from './auth.service.js';
import { RolesGuard } from './roles.guard.js';

/** RolesGuard guards every route of the app (APP_GUARD): deny by default. A route without @Roles is
 * refused; the few open on purpose (health, login, the signature-checked integrations) say @Public(). */
@Module({
  providers: [AuthService, RolesGuard, { provide: APP_GUARD, useExisting: RolesGuard }],
  exports: [AuthService, RolesGuard],
})
export class AuthModule {}
