// Deny by default for the whole app (issue #11, item 10): RolesGuard is global, so a controller added
// without @Roles is refused to everyone, whoever is calling; only routes marked @Public() are open.
// The existing routes, each with its roles, are checked by test/users/role-matrix.test.ts.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../server/app.module.js';
import { Public } from '../../server/auth/roles.guard.js';
import { PracticesService } from '../../server/practices/practices.service.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

@Controller('api/v1/forgotten')
class ForgottenController {
  @Get()
  secrets(): { leaked: boolean } {
    return { leaked: true };
  }
}

@Controller('api/v1/on-purpose')
class OpenOnPurposeController {
  @Get()
  @Public()
  hello(): { open: boolean } {
    return { open: true };
  }
}

@Module({ controllers: [ForgottenController, OpenOnPurposeController] })
class AddedLaterModule {}

let database: TestDatabase;
let app: NestExpressApplication;
let url: string;
let ingestKey: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        port: 0,
        databaseUrl: database.url,
        dataDir: join(tmpdir(), 'lw-unused'),
        demo: false,
        simulator: false,
        simulatorSpeed: 1,
        publicUrl: 'http://localhost',
        logLevel: 'silent',
      }),
      AddedLaterModule,
    ],
  }).compile();
  app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const practices = app.get(PracticesService);
  const practice = await practices.createPractice({ name: 'Guarded', timeZone: 'UTC' });
  ingestKey = (await practices.createIngestKey(practice.id)).secret;
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const get = (path: string, key?: string) => fetch(url + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('deny by default', () => {
  it('a new controller without @Roles is refused to anonymous and authenticated callers alike', async () => {
    const anonymous = await get('/api/v1/forgotten');
    expect(anonymous.status).toBe(403);
    expect(await anonymous.json()).toMatchObject({ message: 'this route declares no roles' });
    expect((await get('/api/v1/forgotten', ingestKey)).status).toBe(403);
  });

  it('a route marked @Public() is open, and health stays open', async () => {
    expect(await (await get('/api/v1/on-purpose')).json()).toEqual({ open: true });
    expect((await get('/api/health')).status).toBe(200);
  });
});
