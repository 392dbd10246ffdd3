import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthService } from './auth.service.js';
import { CredentialsService } from './credentials.service.js';
import { RolesGuard } from './roles.guard.js';

/** RolesGuard guards every route of the app (APP_GUARD): deny by default. A route without @Roles is
 * refused; the few open on purpose (health, login, the signature-checked integrations) say @Public().
 * CredentialsService owns the ingest keys and display tokens AuthService verifies. Imports nothing:
 * feature modules import this one. */
@Module({
  providers: [AuthService, CredentialsService, RolesGuard, { provide: APP_GUARD, useExisting: RolesGuard }],
  exports: [AuthService, CredentialsService, RolesGuard],
})
export class AuthModule {}
