import { Module } from '@nestjs/common';
import { PracticesService } from './practices.service.js';

@Module({ providers: [PracticesService], exports: [PracticesService] })
export class PracticesModule {}
