// Preview server for looking at the board without the real app: serves the built board at /board
// and plays a sample practice over the same socket.io contract, one update a second.
//
//   npm run build:wallboard && npx tsx wallboard/dev/preview-server.ts
//   open http://localhost:5199/board?token=preview
//
// Tokens: `preview` is accepted; `revoked` and anything else are refused like the real server
// refuses them (token_revoked / token_invalid), no token gives token_missing.
// Env: PORT (5199), PREVIEW_TZ (Europe/London), PREVIEW_DAY (YYYY-MM-DD, e.g. 2026-10-25 for a
// 25-hour day), PREVIEW_NOW (ISO time: a fixed server clock), PREVIEW_BUSY=1 (a big practice with
// long names: the worst case for fitting text), PREVIEW_SERVER_SKEW_MS (pretend the server clock is
// ahead), PREVIEW_REVOKE_AFTER_S (revoke every connected TV after N seconds), PREVIEW_INTERVAL_MS
// (1000; lower it to soak-test the page with many updates, 0 for a still board).

import { startPreview } from './preview-app.js';
import { SamplePractice } from './sample-board.js';

const fixedNow = process.env.PREVIEW_NOW ? Date.parse(process.env.PREVIEW_NOW) : undefined;
const practice = new SamplePractice({
  timeZone: process.env.PREVIEW_TZ ?? 'Europe/London',
  day: process.env.PREVIEW_DAY,
  now: fixedNow,
  busy: process.env.PREVIEW_BUSY === '1',
  serverSkewMs: Number(process.env.PREVIEW_SERVER_SKEW_MS ?? 0),
});

let preview;
try {
  preview = await startPreview({
    practice,
    port: Number(process.env.PORT ?? 5199),
    intervalMs: Number(process.env.PREVIEW_INTERVAL_MS ?? 1_000),
    revokeAfterS: Number(process.env.PREVIEW_REVOKE_AFTER_S ?? 0),
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
console.log(`preview board: ${preview.boardUrl.replace('127.0.0.1', 'localhost')}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void preview.close().then(() => process.exit(0)));
}
