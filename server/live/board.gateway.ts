// The `/board` socket.io namespace: TVs authenticate with their display token in the handshake, join
// their own practice's room and nothing else, get a snapshot at once and coalesced updates after.

import { Inject, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import { DomainEvents } from '../events/domain-events.js';
import { MetricsService } from '../observability/metrics.service.js';
import { BOARD_NAMESPACE } from '../domain/domain.contract.js';
import type { BoardClientToServerEvents, BoardErrorV1, BoardServerToClientEvents } from './board.contract.js';
import { LiveBoardService } from './live-board.service.js';

interface BoardSocketData {
  practiceId: string;
  displayTokenId: string;
}
type BoardNamespace = Namespace<BoardClientToServerEvents, BoardServerToClientEvents, Record<string, never>, BoardSocketData>;
type BoardSocket = Socket<BoardClientToServerEvents, BoardServerToClientEvents, Record<string, never>, BoardSocketData>;

/** How often connected TVs' tokens are re-checked: a safety net behind DisplayRevokedV1, which reaches
 * every process through the event bus (a revocation made while a process's bus connection was down). */
export const REVOCATION_SWEEP_MS = 10_000;

const MESSAGES: Record<BoardErrorV1['code'], string> = {
  token_missing: 'No display token: open the board link that includes ?token=…',
  token_invalid: 'This display token is not valid: ask your practice admin for a new board link.',
  token_revoked: "This display's token was revoked: ask your practice admin for a new board link.",
};

function boardError(code: BoardErrorV1['code']): BoardErrorV1 {
  return { code, message: MESSAGES[code] };
}

const room = (practiceId: string) => `practice:${practiceId}`;

@WebSocketGateway({ namespace: BOARD_NAMESPACE, serveClient: false })
export class BoardGateway implements OnGatewayInit<BoardNamespace>, OnGatewayConnection<BoardSocket>, OnApplicationShutdown {
  private readonly logger = new Logger(BoardGateway.name);
  @WebSocketServer() private namespace!: BoardNamespace;
  private sweepTimer: NodeJS.Timeout | null = null;
  private offRevoked: (() => void) | null = null;

  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveBoardService,
    private readonly events: DomainEvents,
    @Optional() @Inject(MetricsService) private readonly metrics: MetricsService | null = null,
  ) {}

  afterInit(namespace: BoardNamespace): void {
    namespace.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      this.auth
        .displayPrincipal(typeof token === 'string' ? token : undefined)
        .then((lookup) => {
          if (!lookup.ok) {
            const error = Object.assign(new Error(lookup.code), { data: boardError(lookup.code) });
            return next(error);
          }
          socket.data.practiceId = lookup.principal.practiceId;
          socket.data.displayTokenId = lookup.principal.credentialId;
          next();
        })
        .catch((error: Error) => next(error));
    });

    this.live.setPublisher({
      watchers: (practiceId) => namespace.adapter.rooms.get(room(practiceId))?.size ?? 0,
      publish: (practiceId, update) => namespace.to(room(practiceId)).emit('board:update', update),
    });

    this.metrics?.countTvsWith(() => namespace.sockets.size);
    this.offRevoked = this.events.on('DisplayRevokedV1', ({ displayTokenId }) => this.dropDisplays(new Set([displayTokenId])));
    this.sweepTimer = setInterval(() => void this.sweepRevoked(), REVOCATION_SWEEP_MS);
    this.sweepTimer.unref();
  }

  async handleConnection(socket: BoardSocket): Promise<void> {
    await socket.join(room(socket.data.practiceId));
    await this.sendSnapshot(socket);
  }

  @SubscribeMessage('board:resync')
  async resync(socket: BoardSocket): Promise<void> {
    await this.sendSnapshot(socket);
  }

  onApplicationShutdown(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.offRevoked?.();
  }

  private async sendSnapshot(socket: BoardSocket): Promise<void> {
    try {
      socket.emit('board:snapshot', await this.live.snapshot(socket.data.practiceId));
    } catch (error) {
      this.logger.error(`snapshot failed for practice ${socket.data.practiceId}: ${(error as Error).message}`);
      socket.disconnect(true); // the TV reconnects with backoff and tries again
    }
  }

  private dropDisplays(revoked: Set<string>): void {
    for (const socket of this.namespace.sockets.values()) {
      if (!revoked.has(socket.data.displayTokenId)) continue;
      socket.emit('board:revoked', boardError('token_revoked'));
      socket.disconnect(true);
    }
  }

  private async sweepRevoked(): Promise<void> {
    const connected = new Set([...this.namespace.sockets.values()].map((socket) => socket.data.displayTokenId));
    try {
      const revoked = await this.auth.revokedDisplayTokens([...connected]);
      if (revoked.length > 0) this.dropDisplays(new Set(revoked));
    } catch (error) {
      this.logger.warn(`revocation sweep failed: ${(error as Error).message}`);
    }
  }
}
