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
 * Fits L2-regularized logistic regression by full-batch gradient descent from zero weights
 * (deterministic: no sampling). `labels` are 1 for the positive class.
 */
export function fitLogistic(
  rows: readonly (number | undefined)[][],
  labels: readonly number[],
  { l2 = 0.01, iterations = 3000, learningRate = 0.5 } = {},
): LogisticModel {
  const { means, scales } = standardization(rows);
  const inputs = rows.map((row) => standardize(row, means, scales));
  const columns = means.length;
  const coefficients = new Array<number>(columns).fill(0);
  let intercept = 0;
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const gradient = new Array<number>(columns).fill(0);
    let interceptGradient = 0;
    inputs.forEach((input, index) => {
      let logit = intercept;
      for (let column = 0; column < columns; column += 1)
        logit += (coefficients[column] as number) * (input[column] as number);
      const error = sigmoid(logit) - (labels[index] as number);
      interceptGradient += error;
      for (let column = 0; column < columns; column += 1)
        gradient[column] = (gradient[column] as number) + error * (input[column] as number);
    });
    for (let column = 0; column < columns; column += 1) {
      const step = (gradient[column] as number) / inputs.length + l2 * (coefficients[column] as number);
      coefficients[column] = (coefficients[column] as number) - learningRate * step;
    }
    intercept -= (learningRate * interceptGradient) / inputs.length;
  }
  return { means, scales, coefficients, intercept };
}

/** Probability of the positive class for one raw (unstandardized) row. */
export function predictLogistic(model: LogisticModel, row: readonly (number | undefined)[]): number {
  const input = standardize(row, model.means, model.scales);
  let logit = model.intercept;
  input.forEach((value, column) => {
    logit += (model.coefficients[column] as number) * value;
  });
  return sigmoid(logit);
}
