/**
 * Dense symmetric positive-definite solves for the small normal equations of the regression
 * model (p <= ~60). Matrices are row-major Float64Arrays of size p·p.
 */

/**
 * The lower Cholesky factor L of a symmetric positive-definite matrix (A = L·Lᵀ), or null
 * when A is not numerically positive definite (including any NaN). Cost: O(p³/3).
 * p = 0 (an empty matrix) gives an empty factor.
 *
 * @example
 * cholesky(Float64Array.of(4, 2, 2, 3), 2); // Float64Array [2, 0, 1, 1.414...]
 */
export function cholesky(a: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diagonal = a[j * p + j] as number;
    for (let k = 0; k < j; k++) diagonal -= (l[j * p + k] as number) ** 2;
    if (!(diagonal > 0)) return null;
    const ljj = Math.sqrt(diagonal);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * p + k] as number) * (l[j * p + k] as number);
      l[i * p + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Solves L·Lᵀ·x = b given the Cholesky factor L. Cost: O(p²).
 * p = 0 gives an empty solution.
 *
 * @example
 * choleskySolve(cholesky(Float64Array.of(4, 2, 2, 3), 2)!, [6, 5], 2); // Float64Array [1, 1] (to rounding)
 */
export function choleskySolve(l: Float64Array, b: ArrayLike<number>, p: number): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * p + k] as number) * (y[k] as number);
    y[i] = s / (l[i * p + i] as number);
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < p; k++) s -= (l[k * p + i] as number) * (y[k] as number);
    y[i] = s / (l[i * p + i] as number);
  }
  return y;
}

/**
 * The quadratic form xᵀ·A⁻¹·x given A's Cholesky factor L: ‖L⁻¹x‖². Cost: O(p²).
 * p = 0 gives 0.
 *
 * @example
 * inverseQuadraticForm(cholesky(Float64Array.of(4, 0, 0, 1), 2)!, [2, 1], 2); // 4/4 + 1/1 = 2
 */
export function inverseQuadraticForm(l: Float64Array, x: ArrayLike<number>, p: number): number {
  let total = 0;
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = x[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * p + k] as number) * (y[k] as number);
    const yi = s / (l[i * p + i] as number);
    y[i] = yi;
    total += yi * yi;
  }
  return total;
}

/**
 * Solves Lᵀ·x = z given the Cholesky factor L of A. With z standard normal, x is a draw from
 * N(0, A⁻¹): how the regression samples its coefficients. Cost: O(p²).
 * p = 0 gives an empty vector.
 *
 * @example
 * solveTransposed(cholesky(Float64Array.of(4, 0, 0, 1), 2)!, [2, 1], 2); // Float64Array [1, 1]
 */
export function solveTransposed(l: Float64Array, z: ArrayLike<number>, p: number): Float64Array {
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < p; k++) s -= (l[k * p + i] as number) * (x[k] as number);
    x[i] = s / (l[i * p + i] as number);
  }
  return x;
}
