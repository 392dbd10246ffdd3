// Child process of the live-board benchmark: K socket.io board clients (TVs), each recording when its
// board's `leads.total` went up. Driven by the parent over IPC; kept out of the sender's process so
// parsing hundreds of board messages never delays the open-loop sender.
//
//   parent -> { cmd: 'connect', url, clients: [{ token, practice }] }   child -> { type: 'connected', ... }
//   parent -> { cmd: 'collect' }      child -> { type: 'timelines', ... } and forgets the timelines
//   parent -> { cmd: 'disconnect' }   child -> { type: 'disconnected' }

import { io, type Socket } from 'socket.io-client';
import { now } from './bench-support.js';

interface BoardMessage {
  seq: number;
  state: { leads: { total: number } };
}

interface Client {
  practice: number;
  socket: Socket;
  total: number;
  /** When the total went up (ms) and to what, since the last collect. */
  times: number[];
  totals: number[];
  messages: number;
  disconnects: number;
}

export interface ClientTimeline {
  practice: number;
  total: number;
  times: number[];
  totals: number[];
  messages: number;
  disconnects: number;
}

export type ClientsMessage =
  | { type: 'connected'; connected: number; failed: number; errors: string[]; ms: number }
  | { type: 'timelines'; clients: ClientTimeline[]; sample: BoardMessage | null; sampleBytes: number }
  | { type: 'disconnected' };

let clients: Client[] = [];
let sample: BoardMessage | null = null;

function send(message: ClientsMessage): void {
  process.send!(message);
}

function connectOne(url: string, token: string, practice: number): Promise<Client | string> {
  return new Promise((resolve) => {
    const socket = io(`${url}/board`, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      timeout: 20_000,
    });
    const client: Client = { practice, socket, total: -1, times: [], totals: [], messages: 0, disconnects: 0 };
    const seen = (message: BoardMessage) => {
      const at = now();
      client.messages++;
      const total = message.state.leads.total;
      if (total > client.total) {
        client.total = total;
        client.times.push(at);
        client.totals.push(total);
      }
    };
    const timer = setTimeout(() => {
      socket.close();
      resolve(`client of practice ${practice}: no snapshot within 30 s`);
    }, 30_000);
    socket.once('board:snapshot', () => {
      clearTimeout(timer);
      resolve(client);
    });
    socket.once('connect_error', (error: Error) => {
      if (client.total >= 0) return;
      clearTimeout(timer);
      socket.close();
      resolve(`client of practice ${practice}: ${error.message}`);
    });
    socket.on('board:snapshot', seen);
    socket.on('board:update', (message: BoardMessage) => {
      if (!sample) sample = message;
      seen(message);
    });
    socket.on('disconnect', () => client.disconnects++);
  });
}

async function connectAll(url: string, wanted: Array<{ token: string; practice: number }>): Promise<void> {
  const started = now();
  const errors: string[] = [];
  const batch = 25;
  for (let i = 0; i < wanted.length; i += batch) {
    const results = await Promise.all(wanted.slice(i, i + batch).map((w) => connectOne(url, w.token, w.practice)));
    for (const result of results) {
      if (typeof result === 'string') errors.push(result);
      else clients.push(result);
    }
  }
  send({ type: 'connected', connected: clients.length, failed: errors.length, errors: errors.slice(0, 5), ms: now() - started });
}

process.on('message', (message: { cmd: string; url?: string; clients?: Array<{ token: string; practice: number }> }) => {
  if (message.cmd === 'connect') {
    sample = null;
    void connectAll(message.url!, message.clients!);
  } else if (message.cmd === 'collect') {
    const timelines = clients.map((c) => ({
      practice: c.practice,
      total: c.total,
      times: c.times,
      totals: c.totals,
      messages: c.messages,
      disconnects: c.disconnects,
    }));
    for (const c of clients) {
      c.times = [];
      c.totals = [];
      c.messages = 0;
      c.disconnects = 0;
    }
    send({ type: 'timelines', clients: timelines, sample, sampleBytes: sample ? Buffer.byteLength(JSON.stringify(sample)) : 0 });
  } else if (message.cmd === 'disconnect') {
    for (const c of clients) c.socket.close();
    clients = [];
    send({ type: 'disconnected' });
  }
});

// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
