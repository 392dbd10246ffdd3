// `npm start`: the server, the TV wallboard and (unless DEMO=off) a demo practice fed by the simulator.

import { DataSource } from 'typeorm';
import { LOCKS, withAdvisoryLock } from './cluster/advisory-lock.js';
import { ClusterLeader } from './cluster/cluster.module.js';
import { readAppConfig } from './config/app-config.js';
import { acquireEmbeddedLock, EmbeddedDatabaseInUseError } from './database/embedded-lock.js';
import { DemoService } from './demo/demo.service.js';
import { listenOnceBuilt } from './health/starting-server.js';
import { createHttpApp } from './http-app.js';
import { LiveBoardService } from './live/live-board.service.js';
import { createLogger } from './logging/logger.js';
import { PracticesService } from './practices/practices.service.js';
import { boardUrl } from './common/board-url.js';

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

// Until the app is built (connected to the database, which it waits for, and migrated) the port
// answers liveness 200 and readiness 503; see health/starting-server.ts.
const app = await listenOnceBuilt(() => createHttpApp(config, logger), { port: config.port, logger });
logger.info({ port: config.port, database: config.databaseUrl ? 'postgresql' : 'embedded' }, 'listening');

const banner: string[] = [];
const leader = app.get(ClusterLeader);
if (config.demo) {
  const demo = app.get(DemoService);
  // Several processes starting at once on an empty PostgreSQL database create one demo, not several.
  const credentials = config.databaseUrl
    ? await withAdvisoryLock(app.get(DataSource), LOCKS.demoSetup, () => demo.ensureDemo(config))
    : await demo.ensureDemo(config);
  if (credentials) {
    // Run-once work: only the process holding the leader lock seeds the history and plays the
    // simulator; if it dies another takes over within LEADER_POLL_MS. History loads in the background
    // while the simulator plays today, so the board moves at once; the board is rebuilt when the
    // history is in (for the typical-day band and last week's numbers).
    await leader.runWhileLeader({
      name: 'demo history and simulator',
      start: async () => {
        const history = demo
          .seedHistory(credentials.practiceId)
          .then(() => app.get(LiveBoardService).rebuild(credentials.practiceId))
          .catch((error: Error) => logger.error({ err: error.message }, 'demo history seeding failed'));
        if (config.simulator) await demo.startSimulator(credentials.practiceId, config.simulatorSpeed, history);
      },
      stop: () => demo.stopSimulator(),
    });
    banner.push(
      `Demo practice ${credentials.practiceId}${config.simulator ? `, live simulator on at ${config.simulatorSpeed}x (SIMULATOR=off stops it${config.databaseUrl ? '; it runs in one server process at a time' : ''})` : ''}`,
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

await leader.start();
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
