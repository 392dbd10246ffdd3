import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ForecastModule } from '../forecast/forecast.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { PracticesModule } from '../practices/practices.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [AuthModule, ForecastModule, IngestModule, PracticesModule], providers: [DemoService], exports: [DemoService] })
export class DemoModule {}
