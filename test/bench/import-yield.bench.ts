// /api/health while a 50,000-row lead import runs on the embedded database (issue #11, item 3): the
// import takes turns with other requests, so the server keeps answering. Starts dist/server/main.js on
// a fresh DATA_DIR (PGlite), imports BENCH_IMPORT_ROWS (50,000) rows as a dry run (the same work as a
// real import, rolled back at the end), and asks /api/health every 250 ms meanwhile.
// `npm run build:server && npx tsx test/bench/import-yield.bench.ts`

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, loadAverage, percentile, sleep } from './bench-support.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const dataDir = mkdtempSync(join(tmpdir(), 'lw-import-yield-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO: 'off', SIMULATOR: 'off', LOG_LEVEL: 'warn', DATABASE_URL: '' };

console.log(`import-yield: ${ROWS} rows on the embedded database; load ${loadAverage()}`);
const { stdout } = await promisify(execFile)(
  process.execPath,
  ['dist/server/cli/main.js', 'practice:create', '--name', 'Yield', '--timezone', 'UTC', '--json'],
  { cwd: ROOT, env },
);
const { ingestKey } = JSON.parse(stdout.trim().split('\n').pop()!) as { ingestKey: string };
const server = spawn(process.execPath, ['dist/server/main.js'], { cwd: ROOT, env, stdio: 'ignore' });
try {
  while (
    !(await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    ))
  )
    await sleep(200);
  const start = Date.now() - 20 * 86_400_000;
  const lines = ['created_at,channel'];
  for (let i = 0; i < ROWS; i++) lines.push(`${new Date(start + i * 1000).toISOString()},phone`);
  const csv = lines.join('\n');

  const began = Date.now();
  const importing = new Promise<{ status: number; body: string }>((done, fail) => {
    const request = http.request(
      `${url}/api/v1/imports/leads?dryRun=true`,
      { method: 'POST', headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'text/csv' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    request.on('error', fail);
    request.end(csv);
  });
  let finished = false;
  void importing.finally(() => (finished = true));
  const latencies: number[] = [];
  await sleep(1000);
  while (!finished) {
    const asked = performance.now();
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok);
    if (!ok) throw new Error('health check failed');
    if (!finished) latencies.push(performance.now() - asked);
    await sleep(250);
  }
  const answer = await importing;
  const report = JSON.parse(answer.body) as { rows?: number; imported?: number };
  console.log(
    JSON.stringify({
      rows: ROWS,
      importStatus: answer.status,
      imported: report.imported,
      importSeconds: (Date.now() - began) / 1000,
      healthChecks: latencies.length,
      healthP50Ms: Math.round(percentile(latencies, 0.5)),
      healthP99Ms: Math.round(percentile(latencies, 0.99)),
      healthMaxMs: Math.round(Math.max(...latencies)),
      over1s: latencies.filter((ms) => ms >= 1000).length,
      load: loadAverage(),
    }),
  );
} finally {
  server.kill('SIGTERM');
  await sleep(1000);
  server.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
