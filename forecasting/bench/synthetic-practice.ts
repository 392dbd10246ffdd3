import type { Rng } from '../prng.js';
import { samplePoisson } from '../sampling.js';

/** Mean multiplier per weekday, Monday first; Sunday is closed. */
const WEEKDAY = [1.25, 1.15, 1.05, 1.0, 0.85, 0.45, 0];

/**
 * Daily new-lead counts of a synthetic practice: `level` leads on an average open day, a
 * weekday shape, a yearly wave (quiet summer and December, busy January), a gentle trend and
 * Poisson noise; Sundays are closed (0). Day 0 is a Monday. Seeded by `rng`. Cost: O(days).
 */
export function syntheticDailyLeads(rng: Rng, days: number, level: number): number[] {
  const growthPerYear = 0.1 * (rng.next() - 0.3);
  const yearlyPhase = 0.3 * rng.next();
  return Array.from({ length: days }, (_, t) => {
    const yearly = 1 + 0.25 * Math.cos((2 * Math.PI * t) / 365.25 - yearlyPhase) + 0.08 * Math.sin((4 * Math.PI * t) / 365.25);
    const mean = level * (WEEKDAY[t % 7] as number) * yearly * (1 + (growthPerYear * t) / 365.25);
    return samplePoisson(rng, mean);
  });
}
