// Builds the HTTP + socket.io application: used by `main.ts` and by the tests, so they run the same app.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { validationPipe } from './common/validation.js';
import { createLogger, NestPinoLogger, requestLogger } from './logging/logger.js';
import { requestMetrics } from './observability/metrics.module.js';
import { MetricsService } from './observability/metrics.service.js';

/** Request bodies larger than this get a 413: no lead or call comes near it. */
export const BODY_LIMIT = '64kb';

const repositoryRoot = resolve(fileURLToPath(import.meta.url), '../..').replace(/\/dist$/, '');
export const WALLBOARD_DIR = join(repositoryRoot, 'dist', 'wallboard');

export async function createHttpApp(config: AppConfig, logger: Logger = createLogger(config.logLevel)): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    bodyParser: false,
    // Keeps each JSON body's bytes as req.rawBody (no copy): the signed webhook verifies them.
    rawBody: true,
    logger: new NestPinoLogger(logger),
  });
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestMetrics(app.get(MetricsService)));
  // Behind a reverse proxy (TRUST_PROXY), request.ip is the client's: login limits and logs need it.
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(requestLogger(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'connect-src': ["'self'", 'ws:', 'wss:'], 'upgrade-insecure-requests': null },
      },
      // The board is served over plain http on a practice's LAN; HSTS would lock TVs out of it.
      strictTransportSecurity: false,
    }),
  );
  app.use('/api', noStore);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(bodyParserErrors);
  app.useGlobalPipes(validationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Lead wallboard API')
      .setDescription('Ingest API v1 for leads and calls, and the live board snapshot. See the README for worked examples.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });

  serveWallboard(app);
  serveManagePages(app);
  return app;
}

/** API answers are never kept by a browser or a proxy: many carry patient details (the follow-up
 * queue, the lost-lead list, exports, leads), and one rule for all means a new route cannot forget. */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Malformed JSON and oversize bodies answered in the API's own error shape, before any handler runs. */
function bodyParserErrors(error: { type?: string; status?: number; message: string }, _req: Request, res: Response, next: NextFunction) {
  if (error.type === 'entity.parse.failed') {
    res.status(400).json({ statusCode: 400, error: 'Bad Request', message: `body: malformed JSON (${error.message})` });
  } else if (error.type === 'entity.too.large') {
    res.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: `body: larger than ${BODY_LIMIT}` });
  } else if (error.status && error.status >= 400 && error.status < 500) {
    res.status(error.status).json({ statusCode: error.status, error: 'Bad Request', message: `body: ${error.message}` });
  } else {
    next(error);
  }
}

/** The TV page at /board (the token travels in its query string) and its assets under /board/. */
function serveWallboard(app: NestExpressApplication): void {
  const index = join(WALLBOARD_DIR, 'index.html');
  app.useStaticAssets(WALLBOARD_DIR, { prefix: '/board/', index: false, maxAge: '1h' });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/board', (_req: Request, res: Response) => {
      if (!existsSync(index)) {
        res.status(503).type('text').send('The wallboard is not built: run `npm run build:wallboard` (npm start does it).');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
}

/** The manager pages built with the board: /manage/staffing, /manage/growth, /manage/reports, /manage/follow-ups and /manage/admin, assets under /manage/assets/. */
export const MANAGE_PAGES = ['staffing', 'growth', 'reports', 'follow-ups', 'admin'] as const;

function serveManagePages(app: NestExpressApplication): void {
  const dir = join(WALLBOARD_DIR, 'manage');
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/manage/assets/', index: false, maxAge: '1h' });
  for (const page of MANAGE_PAGES) {
    const file = join(dir, `${page}.html`);
    app
      .getHttpAdapter()
      .getInstance()
      .get(`/manage/${page}`, (_req: Request, res: Response) => {
        if (!existsSync(file)) {
          res.status(503).type('text').send('The manager pages are not built: run `npm run build:wallboard` (npm start does it).');
          return;
        }
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(file);
      });
  }
}
