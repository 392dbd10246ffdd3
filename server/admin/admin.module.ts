import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import type { AppConfig } from '../config/app-config.js';
import { PracticesModule } from '../practices/practices.module.js';
import { AdminCredentialsController, AdminSettingsController, AdminStaffController } from './admin.controller.js';
import { ADMIN_SETTINGS, AdminService, type AdminSettings } from './admin.service.js';

/** The practice's administration API (/api/v1/admin/...): ingest keys, TV displays, staff, settings. */
@Module({})
export class AdminModule {
  static forRoot(config: Pick<AppConfig, 'publicUrl'>): DynamicModule {
    const settings: AdminSettings = { publicUrl: config.publicUrl };
    return {
      module: AdminModule,
      imports: [AuthModule, PracticesModule],
      controllers: [AdminCredentialsController, AdminStaffController, AdminSettingsController],
      providers: [AdminService, { provide: ADMIN_SETTINGS, useValue: settings }],
    };
  }
}
