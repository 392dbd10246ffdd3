// Starts the real application (HTTP + socket.io) on a free port, on a fresh PostgreSQL database or
// on the embedded one, and offers the few calls most tests need.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../server/config/app-config.js';
import { createHttpApp } from '../../server/http-app.js';
import type { BoardClientToServerEvents, BoardServerToClientEvents } from '../../server/live/board.contract.js';
import { createLogger } from '../../server/logging/logger.js';
import { PracticesService } from '../../server/practices/practices.service.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export type BoardClient = Socket<BoardServerToClientEvents, BoardClientToServerEvents>;

export interface TestPractice {
  practiceId: string;
  ingestKey: string;
  displayToken: string;
  displayId: string;
  staff: Record<string, string>;
}

export interface TestApp {
  url: string;
  app: NestExpressApplication;
  /** The settings the app was started with. */
  config: AppConfig;
  practices: PracticesService;
  createPractice(options?: { name?: string; timeZone?: string; staff?: string[] }): Promise<TestPractice>;
  post(path: string, key: string | null, body: unknown): Promise<{ status: number; body: any }>;
  get(path: string, key: string | null): Promise<{ status: number; body: any }>;
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  connectBoard(token: string | undefined, options?: { reconnection?: boolean }): BoardClient;
  close(): Promise<void>;
}

/** `databaseUrl`: join an existing database (a second server process of a cluster; not dropped on close). */
export async function startTestApp(options: { embedded?: boolean; logger?: Logger; config?: Partial<AppConfig>; databaseUrl?: string } = {}): Promise<TestApp> {
  let database: TestDatabase | null = null;
  let dataDir: string | null = null;
  if (options.embedded) dataDir = mkdtempSync(join(tmpdir(), 'lw-pglite-'));
  else if (options.databaseUrl === undefined) database = await createTestDatabase();

  const config: AppConfig = {
    port: 0,
    databaseUrl: database?.url ?? options.databaseUrl,
    dataDir: dataDir ?? join(tmpdir(), 'lw-unused'),
    demo: false,
    simulator: false,
    simulatorSpeed: 1,
    publicUrl: 'http://localhost',
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.config,
  };
  const app = await createHttpApp(config, options.logger ?? createLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const practices = app.get(PracticesService);
  const sockets: BoardClient[] = [];

  async function request(method: string, path: string, key: string | null, body?: unknown) {
    const response = await fetch(url + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as any };
  }

  return {
    url,
    config,
    app,
    practices,
    async createPractice({ name = 'Test Practice', timeZone = 'America/Chicago', staff = ['Maya', 'Sam'] } = {}) {
      const practice = await practices.createPractice({ name, timeZone });
      const key = await practices.createIngestKey(practice.id);
      const display = await practices.createDisplayToken(practice.id);
      const staffIds: Record<string, string> = {};
      for (const displayName of staff) staffIds[displayName] = (await practices.addStaff(practice.id, displayName)).id;
      return { practiceId: practice.id, ingestKey: key.secret, displayToken: display.secret, displayId: display.id, staff: staffIds };
    },
    post: (path, key, body) => request('POST', path, key, body),
    get: (path, key) => request('GET', path, key),
    query: (sql, params) => app.get(DataSource).query(sql, params),
    connectBoard(token, { reconnection = false } = {}) {
      const socket: BoardClient = io(`${url}/board`, {
        auth: token === undefined ? {} : { token },
        transports: ['websocket'],
        reconnection,
        reconnectionDelay: 100,
        reconnectionDelayMax: 200,
        forceNew: true,
      });
      sockets.push(socket);
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await app.close();
      await database?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the next message of `event` that satisfies `predicate`, or rejects after `ms`. */
export function nextMessage<E extends keyof BoardServerToClientEvents>(
  socket: BoardClient,
  event: E,
  predicate: (message: Parameters<BoardServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<BoardServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no matching ${String(event)} within ${ms} ms`));
    }, ms);
    const listener = (message: Parameters<BoardServerToClientEvents[E]>[0]) => {
      if (!predicate(message)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(message);
    };
    socket.on(event, listener as never);
  });
}
