// Run-once work (the demo simulator, and whatever else must not run in two processes at once) runs in
// the process that holds one PostgreSQL advisory lock on a dedicated connection. Every process tries
// to take it every pollMs; when the holder dies its connection closes, PostgreSQL frees the lock, and
// another process takes it within pollMs (default 5 s; the issue asks for 30 s at most). The holder
// probes its connection at the same pace and stops its work as soon as the connection is gone (then it
// no longer holds the lock). On the embedded database there is one process: it is always the leader.

import { Logger } from '@nestjs/common';
import pg from 'pg';
import { KEEPALIVE_SETTINGS, LOCK_CLASS, LOCKS } from './advisory-lock.js';

export const LEADER_POLL_MS = 5_000;

/** A piece of run-once work: started when this process becomes the leader, stopped when it stops being it. */
export interface LeaderTask {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export class AdvisoryLeader {
  private readonly logger = new Logger(AdvisoryLeader.name);
  private readonly tasks: LeaderTask[] = [];
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private closed = false;
  private ticking: Promise<void> = Promise.resolve();

  /** databaseUrl undefined: the embedded database, where this process is the only one. */
  constructor(
    private readonly databaseUrl: string | undefined,
    private readonly pollMs = LEADER_POLL_MS,
    private readonly onChange: (leading: boolean) => void = () => undefined,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Registers work to run while leading (started at once if already leading). */
  async add(task: LeaderTask): Promise<void> {
    this.tasks.push(task);
    if (this.leading) await this.startTask(task);
  }

  start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    return this.tick();
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await this.depose('shutting down');
  }

  /** One attempt, never two at once. */
  private tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.attempt()).catch((error: Error) => this.logger.warn(`leader check failed: ${error.message}`));
    return this.ticking;
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    if (this.databaseUrl === undefined) {
      if (!this.leading) await this.elect();
      return;
    }
    if (this.leading) {
      try {
        await this.client!.query('SELECT 1');
      } catch (error) {
        await this.depose(`lock connection lost: ${(error as Error).message}`);
      }
      return;
    }
    this.client ??= await this.openClient();
    const client = this.client;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_CLASS, LOCKS.leader]);
      if (rows[0]?.locked && !this.closed) await this.elect();
    } catch (error) {
      this.client = null; // a fresh connection next time
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async openClient(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'lead-wallboard:leader',
      keepAlive: true,
      connectionTimeoutMillis: 3_000,
      query_timeout: 3_000,
    });
    client.on('error', (error) => {
      // The holder's connection died: it no longer holds the lock (PostgreSQL freed it).
      if (this.client === client) void this.depose(`lock connection error: ${error.message}`);
    });
    await client.connect();
    await client.query(KEEPALIVE_SETTINGS);
    return client;
  }

  private async elect(): Promise<void> {
    this.leading = true;
    this.onChange(true);
    this.logger.log('this process now runs the run-once work (holds the leader lock)');
    for (const task of this.tasks) await this.startTask(task);
  }

  private async startTask(task: LeaderTask): Promise<void> {
    try {
      await task.start();
    } catch (error) {
      this.logger.error(`run-once work "${task.name}" failed to start: ${(error as Error).message}`);
    }
  }

  private async depose(reason: string): Promise<void> {
    const client = this.client;
    this.client = null;
    if (this.leading) {
      this.leading = false;
      this.onChange(false);
      this.logger.warn(`run-once work stops here (${reason})`);
      for (const task of this.tasks) {
        try {
          await task.stop();
        } catch (error) {
          this.logger.error(`run-once work "${task.name}" failed to stop: ${(error as Error).message}`);
        }
      }
    }
    // Closing the session frees the lock if it still held it.
    await client?.end().catch(() => undefined);
  }
}
