import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import express from 'express';
import { AuthModule } from '../auth/auth.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { ON_PACE_FORECASTER } from '../live/board-loader.js';
import { ForecastController } from './forecast.controller.js';
import { IMPORT_BODY_LIMIT, LeadImportController } from './lead-import.controller.js';
import { LeadImportService } from './lead-import.service.js';
import { LeadForecastService } from './lead-forecast.service.js';
import { RevenueForecastService } from './revenue-forecast.service.js';
import { StaffingController } from './staffing.controller.js';
import { StaffingService } from './staffing.service.js';

/** Forecasts (leads, revenue, staffing), the history import, and the on-pace curve the live board asks for at rebuild. */
@Module({
  imports: [AuthModule, IngestModule],
  controllers: [ForecastController, StaffingController, LeadImportController],
  providers: [
    LeadForecastService,
    RevenueForecastService,
    StaffingService,
    LeadImportService,
    { provide: ON_PACE_FORECASTER, useExisting: LeadForecastService },
  ],
  exports: [LeadForecastService, LeadImportService, ON_PACE_FORECASTER],
})
export class ForecastModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The app parses JSON only; the CSV upload route reads its body as text.
    consumer.apply(express.text({ type: ['text/csv', 'text/plain'], limit: IMPORT_BODY_LIMIT })).forRoutes('api/v1/imports/leads');
  }
}
