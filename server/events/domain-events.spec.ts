import { describe, expect, it } from '@jest/globals';
import { DomainEvents } from './domain-events.js';

describe('DomainEvents.waitForDelivery', () => {
  it('does not wait without a bus listener (the CLI, the embedded database)', async () => {
    const events = new DomainEvents();
    const started = Date.now();
    await events.waitForDelivery([{ practiceId: 'p', seq: 3 }], 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('resolves when every practice has its number delivered, not before', async () => {
    const events = new DomainEvents();
    events.listening = true;
    let done = false;
    const waiting = events
      .waitForDelivery(
        [
          { practiceId: 'p', seq: 2 },
          { practiceId: 'q', seq: 1 },
        ],
        5_000,
      )
      .then(() => (done = true));
    events.delivered('p', 2);
    await Promise.resolve();
    expect(done).toBe(false);
    events.delivered('q', 1);
    await waiting;
    expect(done).toBe(true);
    // Already delivered: no wait.
    await events.waitForDelivery([{ practiceId: 'p', seq: 1 }], 5_000);
  });

  it('gives up after the timeout (a lost notification is healed elsewhere; the write is committed)', async () => {
    const events = new DomainEvents();
    events.listening = true;
    const started = Date.now();
    await events.waitForDelivery([{ practiceId: 'p', seq: 9 }], 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
