// Child process of the live-board benchmark: the reference, a bare socket.io server with none of the
// application (no NestJS, no database, no board computation). TVs join room `practice:<i>` of the
// `/board` namespace with the token `bare-<i>`; `POST /trigger` with `{ "practice": i, ... }` counts
// one event for that practice, answers 201, and broadcasts a copy of a real board update captured
// from the application run (same shape and size; `leads.total` set to the practice's count) to the
// room: at once (coalesceMs 0) or coalesced exactly like server/live/live-board.service.ts
// (leading edge at once, then at most one send per coalesceMs).
//
//   parent -> { cmd: 'start', port, template }   child -> { type: 'listening' }
//   parent -> { cmd: 'mode', coalesceMs }        child -> { type: 'mode' }

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server } from 'socket.io';

interface Room {
  count: number;
  seq: number;
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
}

let template: { state: Record<string, any> } = { state: { leads: { total: 0 } } };
let coalesceMs = 0;
const rooms = new Map<number, Room>();

function room(practice: number): Room {
  let entry = rooms.get(practice);
  if (!entry) {
    entry = { count: 0, seq: 0, lastSentAt: 0, timer: null };
    rooms.set(practice, entry);
  }
  return entry;
}

function message(entry: Room) {
  return {
    seq: entry.seq,
    state: { ...template.state, generatedAt: new Date().toISOString(), leads: { ...template.state.leads, total: entry.count } },
  };
}

const httpServer = createServer((request: IncomingMessage, response: ServerResponse) => {
  if (request.method !== 'POST' || request.url !== '/trigger') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { practice: number };
    const entry = room(body.practice);
    entry.count++;
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: `${body.practice}-${entry.count}`, createdAt: new Date().toISOString(), ...body }));
    schedule(body.practice, entry);
  });
});

const io = new Server(httpServer, { serveClient: false });
const board = io.of('/board');
board.use((socket, next) => {
  const token = String(socket.handshake.auth?.token ?? '');
  const match = /^bare-(\d+)$/.exec(token);
  if (!match) return next(new Error('token_invalid'));
  socket.data.practice = Number(match[1]);
  next();
});
board.on('connection', (socket) => {
  const practice = socket.data.practice as number;
  void socket.join(`practice:${practice}`);
  socket.emit('board:snapshot', message(room(practice)));
});

function schedule(practice: number, entry: Room): void {
  if (coalesceMs === 0) {
    send(practice, entry);
    return;
  }
  if (entry.timer) return;
  const wait = Math.max(0, entry.lastSentAt + coalesceMs - Date.now());
  entry.timer = setTimeout(() => {
    entry.timer = null;
    send(practice, entry);
  }, wait);
}

function send(practice: number, entry: Room): void {
  entry.lastSentAt = Date.now();
  entry.seq++;
  board.to(`practice:${practice}`).emit('board:update', message(entry));
}

process.on('message', (msg: { cmd: string; port?: number; template?: { state: Record<string, any> }; coalesceMs?: number }) => {
  if (msg.cmd === 'start') {
    template = msg.template!;
    httpServer.listen(msg.port, '127.0.0.1', () => process.send!({ type: 'listening' }));
  } else if (msg.cmd === 'mode') {
    coalesceMs = msg.coalesceMs!;
    process.send!({ type: 'mode' });
  }
});

process.on('disconnect', () => process.exit(0));
