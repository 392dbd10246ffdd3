import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import express from 'express';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { LeadsModule } from '../leads/leads.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { CallImportService } from './call-import.service.js';
import { IMPORT_BODY_LIMIT } from './csv-import.js';
import { ExportsController, ImportsController } from './exchange.controllers.js';
import { ExportService } from './export.service.js';
import { LeadImportService } from './lead-import.service.js';
import { SpendImportService } from './spend-import.service.js';

/** CSV export and import of leads, calls and marketing spend (issue #5; spend by CSV: issue #4). The
 * imports write through the leads and calls modules' services, in one transaction per file. */
@Module({
  imports: [AuthModule, LeadsModule, CallsModule, PracticesModule],
  controllers: [ExportsController, ImportsController],
  providers: [ExportService, LeadImportService, CallImportService, SpendImportService],
  exports: [LeadImportService, CallImportService, SpendImportService, ExportService],
})
export class ExchangeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The app parses JSON only; the CSV upload routes read their body as text (413 past the limit).
    consumer
      .apply(express.text({ type: ['text/csv', 'text/plain'], limit: IMPORT_BODY_LIMIT }))
      .forRoutes('api/v1/imports/leads', 'api/v1/imports/calls', 'api/v1/imports/spend');
  }
}
