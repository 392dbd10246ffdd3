// The preview server as a function, for the command line (preview-server.ts) and for browser tests
// that need a board in a known state (test/browser/board-legibility.browser.test.ts): serves the
// built board at /board and plays a SamplePractice over the real socket.io contract.
//
// Tokens: `preview` is accepted; `revoked` and anything else are refused like the real server
// refuses them (token_revoked / token_invalid), no token gives token_missing.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { BOARD_NAMESPACE } from '../../server/domain/domain.contract.js';
import type { BoardClientToServerEvents, BoardErrorV1, BoardServerToClientEvents } from '../../server/live/board.contract.js';
import type { SamplePractice } from './sample-board.js';

export const PREVIEW_TOKEN = 'preview';
export const BOARD_DIST_DIR = fileURLToPath(new URL('../../dist/wallboard/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface PreviewOptions {
  practice: SamplePractice;
  /** 0 picks a free port. */
  port?: number;
  /** One simulation step and one `board:update` this often; 0 never steps (a still board). */
  intervalMs?: number;
  /** Revoke every connected TV after this many seconds (0: never). */
  revokeAfterS?: number;
}

export interface Preview {
  /** `http://127.0.0.1:<port>/board?token=preview` */
  boardUrl: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the preview server; rejects when the board has not been built (`npm run build:wallboard`). */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const distDir = BOARD_DIST_DIR;
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`No built board in ${distDir}: run \`npm run build:wallboard\` first.`);
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
  const board = io.of(BOARD_NAMESPACE);
  board.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const refuse = (code: BoardErrorV1['code'], message: string) => next(Object.assign(new Error(code), { data: { code, message } satisfies BoardErrorV1 }));
    if (typeof token !== 'string' || token === '') return refuse('token_missing', 'No display token was given.');
    if (token === 'revoked') return refuse('token_revoked', 'This display token was revoked.');
    if (token !== PREVIEW_TOKEN) return refuse('token_invalid', 'Unknown display token.');
    next();
  });

  const { practice } = options;
  let seq = 0;
  board.on('connection', (socket) => {
    socket.emit('board:snapshot', { seq, state: practice.state() });
    socket.on('board:resync', () => socket.emit('board:snapshot', { seq, state: practice.state() }));
  });

  const intervalMs = options.intervalMs ?? 1_000;
  const ticker =
    intervalMs > 0
      ? setInterval(() => {
          practice.step();
          seq += 1;
          board.emit('board:update', { seq, state: practice.state() });
        }, intervalMs)
      : null;
  const revokeAfter = options.revokeAfterS ?? 0;
  const revoker =
    revokeAfter > 0
      ? setTimeout(() => {
          board.emit('board:revoked', { code: 'token_revoked', message: 'This display token was revoked.' });
          board.disconnectSockets();
        }, revokeAfter * 1000)
      : null;

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    boardUrl: `http://127.0.0.1:${port}/board?token=${PREVIEW_TOKEN}`,
    port,
    close: async () => {
      if (ticker) clearInterval(ticker);
      if (revoker) clearTimeout(revoker);
      await io.close(); // closes the http server too
    },
  };
}
