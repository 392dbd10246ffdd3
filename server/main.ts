// `npm start`: the server, the TV wallboard and (unless DEMO=off) a demo practice fed by the simulator.

import { readAppConfig } from './config/app-config.js';
import { acquireEmbeddedLock, EmbeddedDatabaseInUseError } from './database/embedded-lock.js';
import { DemoService } from './demo/demo.service.js';
import { createHttpApp } from './http-app.js';
import { LiveBoardService } from './live/live-board.service.js';
import { createLogger } from './logging/logger.js';
import { PracticesService } from './practices/practices.service.js';
import { boardUrl } from './cli/board-url.js';

const config = readAppConfig();
const logger = createLogger(config.logLevel);
if (!config.databaseUrl) {
  // Before anything else: a second process on the same DATA_DIR stops here, at once, saying why.
  try {
    acquireEmbeddedLock(config.dataDir);
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseInUseError)) throw error;
    logger.fatal({ dataDir: config.dataDir, holderPid: error.holderPid }, error.message);
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}

const app = await createHttpApp(config, logger);
await app.listen(config.port);
logger.info({ port: config.port, database: config.databaseUrl ? 'postgresql' : 'embedded' }, 'listening');

const banner: string[] = [];
if (config.demo) {
  const demo = app.get(DemoService);
  const credentials = await demo.ensureDemo(config);
  if (credentials) {
    // History loads in the background while the simulator plays today, so the board moves at once;
    // the board is rebuilt when the history is in (for the typical-day band and last week's numbers).
    const history = demo
      .seedHistory(credentials.practiceId)
      .then(() => app.get(LiveBoardService).rebuild(credentials.practiceId))
      .catch((error: Error) => logger.error({ err: error.message }, 'demo history seeding failed'));
    if (config.simulator) await demo.startSimulator(credentials.practiceId, config.simulatorSpeed, history);
    banner.push(
      `Demo practice ${credentials.practiceId}${config.simulator ? `, live simulator on at ${config.simulatorSpeed}x (SIMULATOR=off stops it)` : ''}`,
      `  TV board:        ${boardUrl(config, credentials.displayToken)}`,
      `  Ingest API key:  ${credentials.ingestKey}`,
      ...(credentials.adminPassword
        ? [`  Admin login:     ${credentials.adminEmail} / ${credentials.adminPassword}  (shown once: note it now)`]
        : [`  Admin login:     ${credentials.adminEmail}`]),
    );
  } else {
    banner.push('The database holds practices of its own: no demo. Create a TV link with `npm run --silent cli -- display:create --practice ID`.');
  }
}

const live = app.get(LiveBoardService);
const practices = await app.get(PracticesService).listPractices();
await Promise.all(practices.map((practice) => live.rebuild(practice.id)));

console.log(
  [
    '',
    `Lead wallboard running at ${config.publicUrl} (${config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`})`,
    ...banner,
    `  API docs:        ${config.publicUrl}/api/docs`,
    '',
  ].join('\n'),
);
