// `npm run bench:faults`: every part of the fault benchmark that exists, one after the other, each
// a module under test/bench/ whose default export runs it and prints its figures:
// - faults-kill.bench.ts: two processes on PostgreSQL, one killed with SIGKILL under load;
// - faults-restart.bench.ts: PostgreSQL restarted under load;
// - faults-fuzz.bench.ts: seeded fuzzed requests against the ingest routes.
// `npm run bench:faults -- kill restart` runs only those parts. Needs dist/ (the script builds it).

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const PARTS = ['kill', 'restart', 'fuzz'];
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const here = dirname(fileURLToPath(import.meta.url));
console.log(`bench:faults ${new Date().toISOString()}`);
let failed = false;
for (const part of chosen.length ? chosen : PARTS) {
  const file = join(here, `faults-${part}.bench.ts`);
  if (!existsSync(file)) {
    console.log(`\n== ${part}: no ${file.slice(here.length + 1)} in this tree, skipped`);
    continue;
  }
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: () => Promise<void> };
    // A part without a runner is a failure, not a silent skip (the fuzz part once was one).
    if (typeof module.default !== 'function') throw new Error(`${file.slice(here.length + 1)} has no default export to run`);
    await module.default();
  } catch (error) {
    failed = true;
    console.error(`\n== ${part} failed: ${(error as Error).stack ?? String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
