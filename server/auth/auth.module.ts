import { Module } from '@nestjs/common';
import { BoardReaderGuard, IngestKeyGuard } from './auth.guards.js';
import { AuthService } from './auth.service.js';
import { RolesGuard } from './roles.guard.js';

@Module({
  providers: [AuthService, IngestKeyGuard, BoardReaderGuard, RolesGuard],
  exports: [AuthService, IngestKeyGuard, BoardReaderGuard, RolesGuard],
})
export class AuthModule {}
