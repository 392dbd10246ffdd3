// The board's only interval timer. Every counter on screen (waiting timers, "last update N s ago",
// the clock) derives from `now`, so a TV showing 30 timers still wakes once a second, not 30 times.

export class Ticker {
  /** `performance.now()` at the latest tick: monotonic, immune to the TV's wall clock being changed. */
  now = $state(performance.now());
  private readonly id = setInterval(() => {
    this.now = performance.now();
  }, 1_000);

  destroy(): void {
    clearInterval(this.id);
  }
}
