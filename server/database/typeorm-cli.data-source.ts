// The data source the TypeORM CLI uses for `npm run migration:*` (compiled to dist/). It follows
// the app's rule: DATABASE_URL if set, else the embedded database under DATA_DIR.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readAppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source.js';
import { acquireEmbeddedLock } from './embedded-lock.js';

const config = readAppConfig();
// Like the server and the CLI, migrations on the embedded database need it to themselves.
if (!config.databaseUrl) acquireEmbeddedLock(config.dataDir);

export default new DataSource(dataSourceOptions(config));
