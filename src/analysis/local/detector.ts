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
  /**
   * The Platt scaling fitted on leave-one-domain-out scores; already folded into `coefficients` and
   * `intercept`, kept so the evaluation can apply it to other fits.
   */
  calibration: { slope: number; offset: number };
  /** `unfamiliarity` above this (the 99th percentile of training texts) makes a verdict low-confidence. */
  unfamiliar_above: number;
  /** Per-n-gram log-odds of human vs AI authorship, learned from the training texts. */
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

/** The linear part of the detector: standardization, clipping to ±8 and coefficients. */
export type LinearModel = Pick<DetectorWeights, "means" | "scales" | "coefficients" | "intercept">;

/** Log-odds of human authorship; a missing feature counts as the training mean. */
export function detectorLogit(model: LinearModel, features: readonly (number | undefined)[]): number {
  let logit = model.intercept;
  for (let column = 0; column < features.length; column += 1) {
    const value = features[column];
    if (value === undefined) continue;
    const standardized = (value - (model.means[column] as number)) / (model.scales[column] as number);
    logit += (model.coefficients[column] as number) * Math.max(-8, Math.min(8, standardized));
  }
  return logit;
}

/**
 * How far a text's features lie from the training texts': the mean over features of the squared
 * standardized value (clipped to ±8); about 1 for a typical training text. Missing features count 0.
 */
export function unfamiliarity(model: LinearModel, features: readonly (number | undefined)[]): number {
  let sum = 0;
  for (let column = 0; column < features.length; column += 1) {
    const value = features[column];
    if (value === undefined) continue;
    const standardized = (value - (model.means[column] as number)) / (model.scales[column] as number);
    sum += Math.min(64, standardized * standardized);
  }
  return features.length === 0 ? 0 : sum / features.length;
}

/**
 * Logistic regression on standardized features → human-likeness 0–100 (probability of human
 * authorship × 100, two decimals; the stored coefficients already include the calibration).
 */
export function scoreHumanLikeness(
  weights: DetectorWeights,
  features: readonly (number | undefined)[],
): DetectorVerdict {
  const probability = 1 / (1 + Math.exp(-detectorLogit(weights, features)));
  const human_likeness_score = Math.round(probability * 10_000) / 100;
  return {
    human_likeness_score,
    threshold: weights.threshold,
    is_ai_generated: human_likeness_score < weights.threshold,
  };
}
