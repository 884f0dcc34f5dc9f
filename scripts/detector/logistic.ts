/** A fitted logistic regression on standardized features. */
export interface LogisticModel {
  means: number[];
  scales: number[];
  coefficients: number[];
  intercept: number;
}

/** Mean and standard deviation of each column, ignoring missing values. */
function standardization(rows: readonly (number | undefined)[][]): { means: number[]; scales: number[] } {
  const columns = rows[0]?.length ?? 0;
  const means: number[] = [];
  const scales: number[] = [];
  for (let column = 0; column < columns; column += 1) {
    const values = rows.map((row) => row[column]).filter((value): value is number => value !== undefined);
    const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(values.length, 1);
    means.push(mean);
    scales.push(Math.sqrt(variance) || 1);
  }
  return { means, scales };
}

/** Standardizes one row; a missing value becomes 0 (the training mean). */
export function standardize(
  row: readonly (number | undefined)[],
  means: number[],
  scales: number[],
): number[] {
  return row.map((value, column) =>
    value === undefined ? 0 : (value - (means[column] as number)) / (scales[column] as number),
  );
}

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

/**
 * Fits L2-regularized logistic regression by Newton's method from zero weights (deterministic,
 * converges to the exact optimum in a few steps). `labels` are 1 for the positive class; `weights` (default 1 each)
 * say how much each row counts. Standardized inputs are clipped to ±8, as the detector does.
 */
export function fitLogistic(
  rows: readonly (number | undefined)[][],
  labels: readonly number[],
  { l2 = 0.01, iterations = 30, weights = undefined as readonly number[] | undefined } = {},
): LogisticModel {
  const { means, scales } = standardization(rows);
  const columns = means.length;
  const count = rows.length;
  const inputs = new Float64Array(count * columns);
  rows.forEach((row, index) => {
    standardize(row, means, scales).forEach((value, column) => {
      inputs[index * columns + column] = Math.max(-8, Math.min(8, value));
    });
  });
  const rowWeights = Float64Array.from(weights ?? rows.map(() => 1));
  const targets = Float64Array.from(labels);
  const totalWeight = rowWeights.reduce((sum, weight) => sum + weight, 0);
  // Newton's method on [intercept, coefficients]: minimises the weighted mean log-loss + l2/2 · |coefficients|².
  const size = columns + 1;
  const parameters = new Float64Array(size);
  const valueAt = (offset: number, column: number) =>
    column === 0 ? 1 : (inputs[offset + column - 1] as number);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    for (let index = 0; index < count; index += 1) {
      const offset = index * columns;
      let logit = 0;
      for (let column = 0; column < size; column += 1)
        logit += (parameters[column] as number) * valueAt(offset, column);
      const probability = sigmoid(logit);
      const weight = (rowWeights[index] as number) / totalWeight;
      const error = (probability - (targets[index] as number)) * weight;
      const curvature = probability * (1 - probability) * weight;
      for (let row = 0; row < size; row += 1) {
        const value = valueAt(offset, row);
        gradient[row] = (gradient[row] as number) + error * value;
        for (let column = 0; column <= row; column += 1)
          hessian[row * size + column] =
            (hessian[row * size + column] as number) + curvature * value * valueAt(offset, column);
      }
    }
    for (let row = 0; row < size; row += 1) {
      for (let column = row + 1; column < size; column += 1)
        hessian[row * size + column] = hessian[column * size + row] as number;
      if (row > 0) {
        gradient[row] = (gradient[row] as number) + l2 * (parameters[row] as number);
        hessian[row * size + row] = (hessian[row * size + row] as number) + l2;
      }
    }
    const step = solve(hessian, gradient, size);
    let largest = 0;
    for (let column = 0; column < size; column += 1) {
      parameters[column] = (parameters[column] as number) - (step[column] as number);
      largest = Math.max(largest, Math.abs(step[column] as number));
    }
    if (largest < 1e-10) break;
  }
  return { means, scales, coefficients: [...parameters.subarray(1)], intercept: parameters[0] as number };
}

/** Solves `matrix · x = vector` (symmetric positive definite, `size` × `size`) by Gaussian elimination. */
function solve(matrix: Float64Array, vector: Float64Array, size: number): Float64Array {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(vector);
  for (let pivot = 0; pivot < size; pivot += 1) {
    const diagonal = a[pivot * size + pivot] as number;
    for (let row = pivot + 1; row < size; row += 1) {
      const factor = (a[row * size + pivot] as number) / diagonal;
      if (factor === 0) continue;
      for (let column = pivot; column < size; column += 1)
        a[row * size + column] =
          (a[row * size + column] as number) - factor * (a[pivot * size + column] as number);
      b[row] = (b[row] as number) - factor * (b[pivot] as number);
    }
  }
  const x = new Float64Array(size);
  for (let row = size - 1; row >= 0; row -= 1) {
    let sum = b[row] as number;
    for (let column = row + 1; column < size; column += 1)
      sum -= (a[row * size + column] as number) * (x[column] as number);
    x[row] = sum / (a[row * size + row] as number);
  }
  return x;
}
