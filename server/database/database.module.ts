import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../events/domain-events.js';
import { closeDatabase, openDatabase, type DatabaseSettings } from './data-source.js';
import { UnitOfWork } from './unit-of-work.js';

/** The data source (migrated at start), the unit of work and the domain event bus, for every module. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useFactory: () => openDatabase(settings) }, DomainEvents, UnitOfWork],
      exports: [DataSource, DomainEvents, UnitOfWork],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeDatabase(this.dataSource);
  }
}
