// A free TCP port on the loopback interface, for servers a test or a benchmark starts itself. It lives
// in embedded-postgres.ts, which jest loads as its globalSetup and which may import no other tree file.

export { freePort } from './embedded-postgres.js';
