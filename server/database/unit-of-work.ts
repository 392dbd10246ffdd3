import { Injectable } from '@nestjs/common';
import { Mutex } from '@electric-sql/pglite';
import { DataSource, type EntityManager } from 'typeorm';
import { notifyInTransaction } from '../cluster/event-bus.js';
import { DomainEvents, type DomainEvent } from '../events/domain-events.js';
import { usesEmbeddedDriver } from './database-driver.js';

/** What a piece of work inside a transaction gets: the transaction's manager, and a way to queue a
 * domain event that is published only once the transaction has committed.
 *
 * On a PostgreSQL server the events travel as a NOTIFY sent inside the transaction (server/cluster/
 * event-bus.ts): PostgreSQL delivers it after the commit to every server process, this one included,
 * and each hands it to its own DomainEvents; `run` returns once this process has its own (so a TV
 * connecting right after the answer sees the change). On the embedded database (one process) they are
 * emitted here, after the commit. */
export interface Tx {
  manager: EntityManager;
  // A function property, not a method: callers take it out of the Tx (`{ manager, publish }`).
  publish: (event: DomainEvent) => void;
}

/** PGlite runs queries synchronously on this thread and settles them as microtasks: a long run of
 * transactions would never let sockets and timers in. Each embedded transaction first yields. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

@Injectable()
export class UnitOfWork {
  // PGlite is one PostgreSQL session: two interleaved transactions would share a BEGIN/COMMIT.
  // On the embedded database, transactions therefore take turns; on a server each has its own connection.
  private readonly turns: Mutex | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {
    this.turns = usesEmbeddedDriver(dataSource) ? new Mutex() : null;
  }

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const pending: DomainEvent[] = [];
    const notify = this.turns === null;
    let receipts: Array<{ practiceId: string; seq: number }> = [];
    const transaction = () =>
      this.dataSource.transaction(async (manager) => {
        const result = await work({ manager, publish: (event) => pending.push(event) });
        if (notify && pending.length > 0) receipts = await notifyInTransaction(manager, pending);
        return result;
      });
    const result = this.turns ? await this.turns.runExclusive(() => yieldToEventLoop().then(transaction)) : await transaction();
    if (!notify) for (const event of pending) this.events.emit(event);
    else if (receipts.length > 0) await this.events.waitForDelivery(receipts);
    return result;
  }
}
