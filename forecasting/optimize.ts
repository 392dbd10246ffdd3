/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** Initial simplex edge per coordinate (default 0.5). */
  step?: number;
  /** Stop after this many function evaluations (default 200·dimension). */
  maxEvaluations?: number;
  /** Stop when the simplex's function values span less than this (default 1e-7, relative). */
  tolerance?: number;
}

/** Result of {@link minimize}. */
export interface Minimum {
  x: number[];
  value: number;
  evaluations: number;
}

/**
 * Derivative-free minimisation by Nelder-Mead (standard coefficients 1, 2, 0.5, 0.5). Used on
 * unconstrained transforms of the smoothing parameters, so there are no bounds here. A NaN
 * objective value is treated as +Infinity (worse than anything).
 *
 * Cost: O(maxEvaluations) calls of `f`. With an empty `x0` returns `f([])` at once.
 *
 * @example
 * minimize(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x; // ≈ [1, -2]
 */
export function minimize(f: (x: number[]) => number, x0: readonly number[], options: MinimizeOptions = {}): Minimum {
  const dimension = x0.length;
  const step = options.step ?? 0.5;
  const maxEvaluations = options.maxEvaluations ?? 200 * Math.max(1, dimension);
  const tolerance = options.tolerance ?? 1e-7;
  let evaluations = 0;
  const evaluate = (x: number[]): number => {
    evaluations++;
    const value = f(x);
    return Number.isNaN(value) ? Infinity : value;
  };
  const simplex: { x: number[]; value: number }[] = [];
  simplex.push({ x: [...x0], value: evaluate([...x0]) });
  for (let i = 0; i < dimension; i++) {
    const x = [...x0];
    x[i] = (x[i] as number) + step;
    simplex.push({ x, value: evaluate(x) });
  }
  const combine = (a: number[], b: number[], weight: number): number[] => a.map((ai, i) => ai + weight * ((b[i] as number) - ai));

  while (evaluations < maxEvaluations && dimension > 0) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[dimension]!;
    const spread = Math.abs(worst.value - best.value);
    if (spread <= tolerance * (Math.abs(best.value) + tolerance)) break;
    const centroid = new Array<number>(dimension).fill(0);
    for (let i = 0; i < dimension; i++) {
      for (let j = 0; j < dimension; j++) centroid[j] = (centroid[j] as number) + (simplex[i]!.x[j] as number) / dimension;
    }
    const reflected = combine(centroid, worst.x, -1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.value) {
      const expanded = combine(centroid, worst.x, -2);
      const expandedValue = evaluate(expanded);
      simplex[dimension] = expandedValue < reflectedValue ? { x: expanded, value: expandedValue } : { x: reflected, value: reflectedValue };
    } else if (reflectedValue < simplex[dimension - 1]!.value) {
      simplex[dimension] = { x: reflected, value: reflectedValue };
    } else {
      const outside = reflectedValue < worst.value;
      const contracted = combine(centroid, outside ? reflected : worst.x, 0.5);
      const contractedValue = evaluate(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.value)) {
        simplex[dimension] = { x: contracted, value: contractedValue };
      } else {
        for (let i = 1; i <= dimension; i++) {
          const x = combine(best.x, simplex[i]!.x, 0.5);
          simplex[i] = { x, value: evaluate(x) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  const best = simplex[0]!;
  return { x: best.x, value: best.value, evaluations };
}
