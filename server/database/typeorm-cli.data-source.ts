// The data source the TypeORM CLI uses for `npm run migration:*` (compiled to dist/). It follows
// the app's rule: DATABASE_URL if set, else the embedded database under DATA_DIR.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readAppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source.js';

export default new DataSource(dataSourceOptions(readAppConfig()));
