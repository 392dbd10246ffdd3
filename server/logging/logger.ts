// Structured JSON logs (pino). Request logs carry method, route, status and timing: never bodies,
// never the Authorization header or tokens in query strings, so no patient detail or secret can
// reach a log line.

import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { redactDatabaseMessage } from './database-logger.js';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'lead-wallboard' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.patient', '*.token', '*.secret'], censor: '[redacted]' },
  });
}

/** Strips secrets from a logged URL (`?token=…` on board links). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|key)=)[^&]*/gi, '$1[redacted]');
}

/** Probes and scrapes, every few seconds from every checker: not worth a log line each. */
const QUIET_URLS = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/metrics']);

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => QUIET_URLS.has(req.url ?? '') },
  });
}

/** Nest's start-up chatter (one line per module and route): debug, not info. */
const BOOTSTRAP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController', 'NestFactory']);

/** NestJS's own logging through the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    if (context && BOOTSTRAP_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  // Errors and warnings often carry a database error's message: its quoted value is cut off.
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace: trace === undefined ? undefined : redactDatabaseMessage(trace) }, redactDatabaseMessage(String(message)));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, redactDatabaseMessage(String(message)));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
