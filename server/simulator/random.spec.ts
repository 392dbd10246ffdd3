import { hashSeed, Random } from './random.js';

const sample = (draw: () => number, n: number) => {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
};

describe('Random', () => {
  it('repeats itself for the same seed and differs for another', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
    expect(new Random('demo').next()).toBe(new Random(hashSeed('demo')).next());
  });

  it('hashes seed parts without collisions between neighbouring days', () => {
    expect(hashSeed(1, '2026-03-08')).not.toBe(hashSeed(1, '2026-03-09'));
    expect(hashSeed('1', '2026-03-08')).toBe(hashSeed(1, '2026-03-08'));
  });

  it.each([0.3, 4, 14, 29.9, 30, 250])('draws Poisson(%p) with the right mean and variance', (lambda) => {
    const rng = new Random(lambda * 1000);
    const n = 20_000;
    const { mean, variance } = sample(() => rng.poisson(lambda), n);
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / n)); // 4 standard errors
    expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.06);
  });

  it('gives 0 for a Poisson rate of 0 or less', () => {
    const rng = new Random(1);
    expect([rng.poisson(0), rng.poisson(-1), rng.poisson(Number.NaN)]).toEqual([0, 0, 0]);
  });

  it('draws exponential and lognormal durations with the asked mean and median', () => {
    const rng = new Random(3);
    expect(sample(() => rng.exponential(0.5), 20_000).mean).toBeCloseTo(2, 1);
    const draws = Array.from({ length: 20_001 }, () => rng.lognormal(6, 1)).sort((x, y) => x - y);
    expect(draws[10_000]).toBeGreaterThan(5.6);
    expect(draws[10_000]).toBeLessThan(6.4);
  });

  it('chooses by weight and never picks a zero weight', () => {
    const rng = new Random(5);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[rng.weighted({ a: 1, b: 2, c: 0 })]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(1.9);
    expect(counts.b / counts.a).toBeLessThan(2.1);
    expect(() => rng.weighted({ a: 0 })).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});
