import { createRng } from './prng.js';
import { sampleBinomial, sampleGamma, sampleNegativeBinomial, sampleNormal, samplePoisson } from './sampling.js';

const meanAndVariance = (draw: () => number, n = 20_000): [number, number] => {
  const xs = Array.from({ length: n }, draw);
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  return [mean, xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)];
};

describe('seeded sampling', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = createRng('practice-1');
    const b = createRng('practice-1');
    const c = createRng('practice-2');
    const first = [a.next(), a.next()];
    expect([b.next(), b.next()]).toEqual(first);
    expect(c.next()).not.toBe(first[0]);
  });

  it('draws with the right moments', () => {
    const rng = createRng(11);
    const [pm, pv] = meanAndVariance(() => samplePoisson(rng, 3));
    expect(pm).toBeCloseTo(3, 1);
    expect(pv).toBeCloseTo(3, 0);
    const [lm] = meanAndVariance(() => samplePoisson(rng, 200));
    expect(Math.abs(lm - 200)).toBeLessThan(0.5);
    const [nm, nv] = meanAndVariance(() => sampleNegativeBinomial(rng, 4, 2)); // variance 4 + 16/2 = 12
    // Within 4 standard errors of the mean (the variance is 12, so ±0.05 would be only 2).
    expect(Math.abs(nm - 4)).toBeLessThan(4 * Math.sqrt(12 / 20_000));
    expect(Math.abs(nv - 12)).toBeLessThan(1);
    const [gm] = meanAndVariance(() => sampleGamma(rng, 0.5, 2));
    expect(gm).toBeCloseTo(1, 1);
    const [bm] = meanAndVariance(() => sampleBinomial(rng, 30, 0.2));
    expect(bm).toBeCloseTo(6, 1);
    // Normals come in Box-Muller pairs (the second kept for the next call): still N(0, 1), and
    // consecutive draws uncorrelated.
    const normals = Array.from({ length: 20_000 }, () => sampleNormal(rng));
    const [zm, zv] = meanAndVariance(() => normals.pop()!);
    expect(Math.abs(zm)).toBeLessThan(4 / Math.sqrt(20_000));
    expect(Math.abs(zv - 1)).toBeLessThan(0.05);
    const pairs = Array.from({ length: 20_000 }, () => sampleNormal(rng) * sampleNormal(rng));
    expect(Math.abs(pairs.reduce((sum, x) => sum + x, 0) / 20_000)).toBeLessThan(4 / Math.sqrt(20_000));
    expect(samplePoisson(rng, 0)).toBe(0);
    expect(sampleBinomial(rng, 10, 1)).toBe(10);
  });
});
