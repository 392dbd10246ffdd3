// Process configuration, read once from the environment: every setting of the server, the CLI and the
// migration data source is here (nothing else reads process.env). Everything has a working default so
// that `npm start` on a fresh machine runs the demo on the embedded database.
//
// Plain data and validation: it loads neither Nest nor any feature, so the TypeORM CLI's data source
// reads it without loading the app. Modules get the slice they need through their forRoot(config).

import { resolve } from 'node:path';
import { parseDatabasePool, type DatabasePoolSettings } from '../database/database-pool.js';

export interface AppConfig {
  port: number;
  /** PostgreSQL server URL; when unset the embedded PGlite database under `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Create and feed the demo practice (DEMO=off turns it off). */
  demo: boolean;
  /** Run the live simulator for the demo practice (SIMULATOR=off turns it off). */
  simulator: boolean;
  /** How fast the demo's live simulator catches up at start, in simulated seconds per real second (SIMULATOR_SPEED; see LiveSimulatorOptions.speed). */
  simulatorSpeed: number;
  /** Public base URL printed in board links. */
  publicUrl: string;
  logLevel: string;
  /** Login attempts allowed per minute, per client IP and per account (email); defaults in users.module.ts. */
  loginLimits?: { perIp: number; perAccount: number };
  /** Express's "trust proxy" (TRUST_PROXY): which hops in front may set X-Forwarded-For, so that the
   * per-IP login limit and the logs see the client's address. Off by default. */
  trustProxy?: TrustProxy;
  /** Ingest and integration requests per key (INGEST_RATE_PER_SECOND, INGEST_BURST); DEFAULT_INGEST_RATE_LIMITS when unset. */
  ingestRateLimits?: IngestRateLimits;
  /** SECRETS_KEY: 32 bytes in base64 that encrypt integration secrets at rest (checked by SecretBox at
   * start); when unset, a key generated on first use in `dataDir/secrets.key`. */
  secretsKey?: string;
  /** How often each process tries to take the run-once (leader) lock, in ms (LEADER_POLL_MS, default 5000). */
  leaderPollMs?: number;
  /** The PostgreSQL server pool's size and timeouts (DB_* variables); DEFAULT_DATABASE_POOL when unset. */
  databasePool?: DatabasePoolSettings;
}

/** false (off), a number of hops, or addresses/subnets/names Express knows ("loopback", "10.0.0.0/8, 127.0.0.1"). */
export type TrustProxy = boolean | number | string;

/** TRUST_PROXY: unset/false/off = trust nobody; true = trust every hop (only behind a proxy that
 * overwrites X-Forwarded-For); a whole number = that many hops; else a comma list for Express. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || ['0', 'false', 'off', 'no'].includes(text.toLowerCase())) return false;
  if (['true', 'on', 'yes'].includes(text.toLowerCase())) return true;
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[\w.:/,\s-]+$/.test(text)) throw new Error(`TRUST_PROXY must be true, false, a number of hops, or addresses/subnets, got "${value}"`);
  return text;
}

export interface IngestRateLimits {
  /** Sustained requests per second per key (INGEST_RATE_PER_SECOND). */
  perSecond: number;
  /** Requests a key may send at once (INGEST_BURST). */
  burst: number;
}

export const DEFAULT_INGEST_RATE_LIMITS: Readonly<IngestRateLimits> = { perSecond: 20, burst: 200 };

export function validateIngestRateLimits(limits: IngestRateLimits): IngestRateLimits {
  if (!(Number.isFinite(limits.perSecond) && limits.perSecond > 0)) {
    throw new Error(`INGEST_RATE_PER_SECOND must be a number above 0, got "${limits.perSecond}"`);
  }
  if (!(Number.isInteger(limits.burst) && limits.burst >= 1)) throw new Error(`INGEST_BURST must be a whole number of at least 1, got "${limits.burst}"`);
  return limits;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'off', 'no'].includes(value.toLowerCase());
}

function leaderPollMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!(Number.isInteger(ms) && ms >= 100 && ms <= 30_000)) throw new Error(`LEADER_POLL_MS must be a whole number of ms from 100 to 30000, got "${value}"`);
  return ms;
}

export function readAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const simulatorSpeed = Number(env.SIMULATOR_SPEED ?? 60);
  if (!(simulatorSpeed > 0 && simulatorSpeed <= 3600)) throw new Error(`SIMULATOR_SPEED must be between 0 and 3600, got "${env.SIMULATOR_SPEED}"`);
  return {
    port,
    simulatorSpeed,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    demo: flag(env.DEMO, true),
    simulator: flag(env.SIMULATOR, true),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL ?? 'info',
    leaderPollMs: leaderPollMs(env.LEADER_POLL_MS),
    databasePool: parseDatabasePool(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    secretsKey: env.SECRETS_KEY || undefined,
    ingestRateLimits: validateIngestRateLimits({
      perSecond: env.INGEST_RATE_PER_SECOND ? Number(env.INGEST_RATE_PER_SECOND) : DEFAULT_INGEST_RATE_LIMITS.perSecond,
      burst: env.INGEST_BURST ? Number(env.INGEST_BURST) : DEFAULT_INGEST_RATE_LIMITS.burst,
    }),
  };
}
