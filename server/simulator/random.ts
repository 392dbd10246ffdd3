// A small seeded pseudo-random source for the practice simulator. Not for anything secret: it
// exists so that the same seed always tells the same story (tests, demos, benchmarks).

/** Hashes any mix of strings and numbers to a 32-bit seed (cyrb53, folded). Cost O(total length).
 * Used to derive an independent stream per day, e.g. `hashSeed(seed, '2026-03-08')`. */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  const text = parts.join('\u001f');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** A table of log(k!) for the small k that Poisson sampling asks about most. */
const LOG_FACTORIAL = Array.from({ length: 32 }, (_, k) => {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
});

/** log(k!): table below 32, Stirling's series above (error < 1e-10 there). */
function logFactorial(k: number): number {
  const small = LOG_FACTORIAL[k];
  if (small !== undefined) return small;
  const n = k + 1;
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/**
 * Seeded generator (mulberry32: 32-bit state, period 2^32, passes gjrand's basic tests; plenty
 * for a simulation that draws a few hundred numbers per simulated day).
 *
 * @example
 * const rng = new Random(42);
 * rng.poisson(14); // same number on every run
 */
export class Random {
  private state: number;

  /** A string seed is hashed; a number is used as is (truncated to 32 bits). */
  constructor(seed: number | string) {
    this.state = (typeof seed === 'string' ? hashSeed(seed) : seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.next() * (maxExclusive - min));
  }

  /** true with probability p (p outside [0, 1] acts as 0 or 1). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** Standard normal scaled, by Box-Muller (one of the pair is discarded: simpler, fast enough). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal given its median and the sd of its log: handy for durations ("usually ~6 min,
   * sometimes hours"). */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * Poisson-distributed count with mean lambda. Knuth's product method below 30 (cost O(lambda)),
   * Hörmann's transformed rejection (PTRS, as in numpy) above (O(1) expected). lambda <= 0 gives 0.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let product = this.next();
      while (product > limit) {
        k++;
        product *= this.next();
      }
      return k;
    }
    const logLambda = Math.log(lambda);
    const b = 0.931 + 2.53 * Math.sqrt(lambda);
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - logFactorial(k)) {
        return k;
      }
    }
  }

  /** One item, uniformly. Throws on an empty list (a caller bug, not a random outcome). */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  /** One key of a weight table, with probability proportional to its weight (weights >= 0, not all
   * zero; else throws). Cost O(entries). */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    return this.weightedBy(entries, ([, weight]) => weight)[0];
  }

  /** One item, with probability proportional to weightOf(item). Throws if no weight is positive. */
  weightedBy<T>(items: readonly T[], weightOf: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += Math.max(0, weightOf(item));
    if (!(total > 0)) throw new RangeError('weighted choice with no positive weight');
    let target = this.next() * total;
    for (const item of items) {
      target -= Math.max(0, weightOf(item));
      if (target < 0) return item;
    }
    // Floating-point leftovers land on the last positive item.
    return items.findLast((item) => weightOf(item) > 0) as T;
  }
}
