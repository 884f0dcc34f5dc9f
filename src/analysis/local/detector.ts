import { DETECTOR_FEATURE_NAMES } from "./features";
import type { NgramTables } from "./ngrams";

/** The fitted detector as stored in `weights.json` (written by `npm run fit:detector`). */
export interface DetectorWeights {
  features: string[];
  means: number[];
  scales: number[];
  coefficients: number[];
  intercept: number;
  /** Scores below this are called AI-generated. */
  threshold: number;
  /** Per-n-gram log-odds of human vs AI authorship, learned from the dev set. */
  ngrams: NgramTables;
}

/** The verdict part of a metrics object. */
export interface DetectorVerdict {
  human_likeness_score: number;
  threshold: number;
  is_ai_generated: boolean;
}

/** Checks that stored weights match the features this build computes. */
export function assertWeightsMatchFeatures(weights: DetectorWeights): void {
  const expected: string[] = DETECTOR_FEATURE_NAMES;
  if (weights.features.join(",") !== expected.join(",")) {
    throw new Error("detector weights were fitted for other features; run npm run fit:detector");
  }
}

/**
 * Logistic regression on standardized features → human-likeness 0–100 (probability of human
 * authorship × 100, two decimals). A missing feature counts as the training mean.
 */
export function scoreHumanLikeness(
  weights: DetectorWeights,
  features: readonly (number | undefined)[],
): DetectorVerdict {
  let logit = weights.intercept;
  features.forEach((value, column) => {
    if (value === undefined) return;
    const standardized = (value - (weights.means[column] as number)) / (weights.scales[column] as number);
    logit += (weights.coefficients[column] as number) * Math.max(-8, Math.min(8, standardized));
  });
  const probability = 1 / (1 + Math.exp(-logit));
  const human_likeness_score = Math.round(probability * 10_000) / 100;
  return {
    human_likeness_score,
    threshold: weights.threshold,
    is_ai_generated: human_likeness_score < weights.threshold,
  };
}
