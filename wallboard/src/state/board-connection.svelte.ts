// The TV's one socket to the server, as reactive state: the latest board, the connection status,
// and a refusal if the display token is not accepted. The rules (which update to apply, which error
// is final, the retry delays) are in lib/board-sync.ts; this file only wires them to socket.io.

import { io, type Socket } from 'socket.io-client';
import { BOARD_NAMESPACE } from '$contracts/domain/domain';
import type { BoardClientToServerEvents, BoardErrorV1, BoardHandshakeAuth, BoardServerToClientEvents, BoardStateV1 } from '$contracts/live/board';
import { backoffDelayMs, RECONNECT_BACKOFF, refusalCode, shouldApplyUpdate, type RefusalCode } from '../lib/board-sync.js';
import { ClockOffsetEstimator } from '../lib/clock.js';

type BoardSocket = Socket<BoardServerToClientEvents, BoardClientToServerEvents>;

/** `connecting`: never connected yet; `reconnecting`: lost it and retrying; `refused`: final. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'refused';

export class BoardConnection {
  status = $state<ConnectionStatus>('connecting');
  /** Replaced whole on every message, never mutated: `raw` skips deep proxying, which matters on a TV. */
  board = $state.raw<BoardStateV1 | null>(null);
  refusal = $state<RefusalCode | null>(null);
  /** `performance.now()` when the last snapshot or update arrived; null before the first. */
  lastMessageAt = $state<number | null>(null);
  /** Add to `performance.now()` to get the server's clock (see lib/clock.ts). */
  clockOffsetMs = $state(Date.now() - performance.now());

  private readonly socket: BoardSocket;
  private readonly clock = new ClockOffsetEstimator();
  private lastSeq: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryAttempt = 0;

  constructor(token: string, url?: string) {
    const auth: BoardHandshakeAuth = { token };
    const options = {
      auth,
      transports: ['websocket'],
      reconnectionDelay: RECONNECT_BACKOFF.baseMs,
      reconnectionDelayMax: RECONNECT_BACKOFF.maxMs,
      randomizationFactor: RECONNECT_BACKOFF.jitter,
    };
    this.socket = url === undefined ? io(BOARD_NAMESPACE, options) : io(url + BOARD_NAMESPACE, options);

    this.socket.on('connect', this.onConnect);
    this.socket.on('disconnect', this.onDisconnect);
    this.socket.on('connect_error', this.onConnectError);
    this.socket.on('board:snapshot', ({ seq, state }) => this.apply(seq, state, true));
    this.socket.on('board:update', ({ seq, state }) => this.apply(seq, state, false));
    this.socket.on('board:revoked', (error: BoardErrorV1) => this.refuse(refusalCode({ data: error }) ?? 'token_revoked'));
    document.addEventListener('visibilitychange', this.onVisibilityChange);
  }

  /** Close the socket and drop every listener and timer. The instance is dead afterwards. */
  destroy(): void {
    clearTimeout(this.retryTimer);
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private apply(seq: number, state: BoardStateV1, isSnapshot: boolean): void {
    if (!isSnapshot && !shouldApplyUpdate(this.lastSeq, seq)) return;
    const receivedAt = performance.now();
    this.lastSeq = seq;
    this.clock.add(Date.parse(state.generatedAt), receivedAt);
    this.clockOffsetMs = this.clock.offset(this.clockOffsetMs);
    this.board = state;
    this.lastMessageAt = receivedAt;
  }

  private refuse(code: RefusalCode): void {
    this.refusal = code;
    this.status = 'refused';
    clearTimeout(this.retryTimer);
    this.socket.disconnect(); // also stops socket.io's own reconnection
  }

  private onConnect = (): void => {
    this.status = 'live';
    this.retryAttempt = 0;
  };

  private onDisconnect = (reason: Socket.DisconnectReason): void => {
    if (this.status === 'refused' || reason === 'io client disconnect') return;
    this.status = 'reconnecting';
    // socket.io-client retries a lost transport itself, but not a disconnect the server asked for.
    if (reason === 'io server disconnect') this.scheduleRetry();
  };

  private onConnectError = (error: Error): void => {
    const code = refusalCode(error);
    if (code) return this.refuse(code);
    // Before the first successful connect the status stays `connecting`.
    if (this.status === 'live') this.status = 'reconnecting';
    // `active` is false when the server's middleware rejected us for some other reason (a restart,
    // a database hiccup): socket.io-client then leaves retrying to us.
    if (!this.socket.active) this.scheduleRetry();
  };

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.socket.connect(), backoffDelayMs(this.retryAttempt++));
  }

  // A TV browser may freeze a hidden page; when it comes back, ask for a fresh snapshot at once.
  private onVisibilityChange = (): void => {
    if (document.visibilityState === 'visible' && this.socket.connected) this.socket.emit('board:resync');
  };
}
