// Jest globalTeardown: stops (and deletes) the embedded PostgreSQL that embedded-postgres.ts started, if any.

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__embeddedTestPostgres;
  globalThis.__embeddedTestPostgres = undefined;
  await server?.destroy();
}
