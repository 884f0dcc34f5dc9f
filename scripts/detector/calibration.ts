import { fitLogistic } from "./logistic.ts";
import { shareBelow } from "./statistics.ts";

/** Platt scaling: p(human) = sigmoid(slope · logit + offset). */
export interface Calibration {
  slope: number;
  offset: number;
}

/** Fits Platt scaling of out-of-fold log-odds to the labels (1 = human). */
export function plattScaling(logits: readonly number[], labels: readonly number[]): Calibration {
  const model = fitLogistic(
    logits.map((logit) => [logit]),
    labels,
    { l2: 0 },
  );
  const slope = (model.coefficients[0] as number) / (model.scales[0] as number);
  return { slope, offset: model.intercept - slope * (model.means[0] as number) };
}

/**
 * The highest integer threshold (score below it = AI) at which no domain's human texts are called
 * AI more often than `maximumFalsePositiveRate`: false accusations are the costly error.
 */
export function safeThreshold(
  domains: readonly { scores: readonly number[]; labels: readonly number[] }[],
  maximumFalsePositiveRate: number,
): number {
  let threshold = 1;
  for (let candidate = 1; candidate < 100; candidate += 1) {
    const worst = Math.max(...domains.map(({ scores, labels }) => shareBelow(scores, labels, 1, candidate)));
    if (worst <= maximumFalsePositiveRate) threshold = candidate;
  }
  return threshold;
}
