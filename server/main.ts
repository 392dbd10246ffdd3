// `npm start`: the server, the TV wallboard and (unless DEMO=off) a demo practice fed by the simulator.

import { readAppConfig } from './config/app-config.js';
import { acquireEmbeddedLock } from './database/embedded-lock.js';
import { createHttpApp } from './http-app.js';
import { LiveBoardService } from './live/live-board.service.js';
import { createLogger } from './logging/logger.js';
import { PracticesService } from './practices/practices.service.js';

const config = readAppConfig();
const logger = createLogger(config.logLevel);
if (!config.databaseUrl) acquireEmbeddedLock(config.dataDir);

const app = await createHttpApp(config, logger);
await app.listen(config.port);
logger.info({ port: config.port, database: config.databaseUrl ? 'postgresql' : 'embedded' }, 'listening');

const practices = await app.get(PracticesService).listPractices();
const live = app.get(LiveBoardService);
await Promise.all(practices.map((practice) => live.rebuild(practice.id)));
