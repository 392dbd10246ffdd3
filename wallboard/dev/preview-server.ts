// Preview server for looking at the board without the real app: serves the built board at /board
// and plays a sample practice over the same socket.io contract, one update a second.
//
//   npm run build:wallboard && npx tsx wallboard/dev/preview-server.ts
//   open http://localhost:5199/board?token=preview
//
// Tokens: `preview` is accepted; `revoked` and anything else are refused like the real server
// refuses them (token_revoked / token_invalid), no token gives token_missing.
// Env: PORT (5199), PREVIEW_TZ (Europe/London), PREVIEW_DAY (YYYY-MM-DD, e.g. 2026-10-25 for a
// 25-hour day), PREVIEW_SERVER_SKEW_MS (pretend the server clock is ahead), PREVIEW_REVOKE_AFTER_S
// (revoke every connected TV after N seconds), PREVIEW_INTERVAL_MS (1000; lower it to soak-test the
// page with many updates).

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type {
  BoardClientToServerEvents,
  BoardErrorV1,
  BoardServerToClientEvents,
} from '../../server/live/board.contract.js';
import { SamplePractice } from './sample-board.js';

const port = Number(process.env.PORT ?? 5199);
const distDir = fileURLToPath(new URL('../../dist/wallboard/', import.meta.url));
const PREVIEW_TOKEN = 'preview';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

if (!existsSync(join(distDir, 'index.html'))) {
  console.error(`No built board in ${distDir}: run \`npm run build:wallboard\` first.`);
  process.exit(1);
}

const http = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  let file: string | null = null;
  if (path === '/board' || path === '/board/') file = join(distDir, 'index.html');
  else if (path.startsWith('/board/')) {
    const candidate = normalize(join(distDir, decodeURIComponent(path.slice('/board/'.length))));
    if (candidate.startsWith(distDir.endsWith(sep) ? distDir : distDir + sep)) file = candidate;
  }
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(res);
});

const io = new Server<BoardClientToServerEvents, BoardServerToClientEvents>(http, { serveClient: false });
const board = io.of('/board');

board.use((socket, next) => {
  const token: unknown = socket.handshake.auth?.token;
  const refuse = (code: BoardErrorV1['code'], message: string) =>
    next(Object.assign(new Error(code), { data: { code, message } satisfies BoardErrorV1 }));
  if (typeof token !== 'string' || token === '') return refuse('token_missing', 'No display token was given.');
  if (token === 'revoked') return refuse('token_revoked', 'This display token was revoked.');
  if (token !== PREVIEW_TOKEN) return refuse('token_invalid', 'Unknown display token.');
  next();
});

const practice = new SamplePractice({
  timeZone: process.env.PREVIEW_TZ ?? 'Europe/London',
  day: process.env.PREVIEW_DAY,
  serverSkewMs: Number(process.env.PREVIEW_SERVER_SKEW_MS ?? 0),
});
let seq = 0;

board.on('connection', (socket) => {
  socket.emit('board:snapshot', { seq, state: practice.state() });
  socket.on('board:resync', () => socket.emit('board:snapshot', { seq, state: practice.state() }));
});

const ticker = setInterval(() => {
  practice.step();
  seq += 1;
  board.emit('board:update', { seq, state: practice.state() });
}, Number(process.env.PREVIEW_INTERVAL_MS ?? 1_000));

const revokeAfter = Number(process.env.PREVIEW_REVOKE_AFTER_S ?? 0);
if (revokeAfter > 0) {
  setTimeout(() => {
    board.emit('board:revoked', { code: 'token_revoked', message: 'This display token was revoked.' });
    board.disconnectSockets();
  }, revokeAfter * 1000);
}

http.listen(port, () => console.log(`preview board: http://localhost:${port}/board?token=${PREVIEW_TOKEN}`));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(ticker);
    void io.close();
    http.close(() => process.exit(0));
  });
}
