import { DETECTOR_FEATURE_NAMES } from "./features";
import type { NgramTables } from "./ngrams";

/** The fitted detector as stored in `weights.json` (written by `npm run fit:detector`). */
export interface DetectorWeights {
  features: string[];
  means: number[];
  scales: number[];
  coefficients: number[];
  intercept: number;
  /**
   * One calibration and threshold per length band, shortest first: a text of `words` words uses the
   * first band with `words < below_words` (`null`: no upper bound).
   */
  bands: LengthBand[];
  /** Per-sentence scores (see `sentences.ts`): a logistic model over three measures of a sentence and its neighbours. */
  sentence_model: LinearModel;
  /** Features whose large values are evidence of AI wording, not a sign of unfamiliar text. */
  evidence_features: string[];
  /** `unfamiliarity` above this (the 99th percentile of training texts) makes a verdict low-confidence. */
  unfamiliar_above: number;
  /** Per-n-gram log-odds of human vs AI authorship, learned from the training texts. */
  ngrams: NgramTables;
}

/**
 * How the detector's log-odds are read at one text length: Platt scaling fitted on scores of texts of
 * that length from domains the model had not seen, and the highest score threshold that kept every
 * such domain's human texts called AI at most 5 % of the time (0: no threshold did, so texts of this
 * length are never called AI).
 */
export interface LengthBand {
  below_words: number | null;
  slope: number;
  offset: number;
  threshold: number;
  /**
   * Mean word length (characters) above which a text of this length counts as formal register: the
   * share of human training texts the fit chose lies at or below it. A formal text is called AI only on
   * its stock assistant wording (see `FORMAL_EVIDENCE_MARGIN`); the threshold was chosen on the others.
   */
  formal_above: number;
}

/**
 * How far (in log-odds of human authorship) a formal text's stock-wording evidence alone must fall
 * below the band's cut for it to be called AI: formal human prose (abstracts, reports) scores like
 * machine text on rhythm and function words, so those are not evidence against it.
 */
export const FORMAL_EVIDENCE_MARGIN = 0.5;

/** The verdict part of a metrics object. */
export interface DetectorVerdict {
  human_likeness_score: number;
  threshold: number;
  is_ai_generated: boolean;
  /** Calibrated probability that the text was machine-written, 0–1 (= 1 − human_likeness_score / 100). */
  ai_probability: number;
}

/** The calibration and threshold for a text of `words` words. */
export function bandOf(bands: readonly LengthBand[], words: number): LengthBand {
  for (const band of bands) if (band.below_words === null || words < band.below_words) return band;
  return bands[bands.length - 1] as LengthBand;
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

/** Each feature's share of the log-odds (coefficient × standardized value); missing features give 0. */
export function featureContributions(
  model: LinearModel,
  features: readonly (number | undefined)[],
): number[] {
  const contributions: number[] = [];
  for (let column = 0; column < features.length; column += 1) {
    const value = features[column];
    if (value === undefined) {
      contributions.push(0);
      continue;
    }
    const standardized = (value - (model.means[column] as number)) / (model.scales[column] as number);
    contributions.push((model.coefficients[column] as number) * Math.max(-8, Math.min(8, standardized)));
  }
  return contributions;
}

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
 * standardized value (clipped to ±8); about 1 for a typical training text. Missing features count 0,
 * and so does a value of an evidence feature (`evidence`, by column) on its AI side: a text full of
 * stock assistant wording is not unfamiliar, it is what the detector looks for.
 */
export function unfamiliarity(
  model: LinearModel,
  features: readonly (number | undefined)[],
  evidence: readonly boolean[] = [],
): number {
  let sum = 0;
  for (let column = 0; column < features.length; column += 1) {
    const value = features[column];
    if (value === undefined) continue;
    const standardized = (value - (model.means[column] as number)) / (model.scales[column] as number);
    if (evidence[column] === true && standardized * (model.coefficients[column] as number) < 0) continue;
    sum += Math.min(64, standardized * standardized);
  }
  return features.length === 0 ? 0 : sum / features.length;
}

/**
 * The log-odds the stock-wording features alone give (the intercept plus the contributions of
 * `weights.evidence_features`, every other feature at its training mean).
 */
export function stockWordingLogit(
  weights: Pick<DetectorWeights, "features" | "evidence_features"> & LinearModel,
  features: readonly (number | undefined)[],
): number {
  const contributions = featureContributions(weights, features);
  let logit = weights.intercept;
  for (let column = 0; column < contributions.length; column += 1)
    if (weights.evidence_features.includes(weights.features[column] as string))
      logit += contributions[column] as number;
  return logit;
}

/** The log-odds below which a band calls a text AI (−∞ when its threshold is 0). */
export function bandCut(band: LengthBand): number {
  if (band.threshold <= 0) return Number.NEGATIVE_INFINITY;
  return (Math.log(band.threshold / (100 - band.threshold)) - band.offset) / band.slope;
}

/** What the verdict reads of a text besides its features. */
export interface TextShape {
  words: number;
  sentences: number;
  /** Characters per word. */
  meanWordLength: number;
}

/**
 * Whether the band's threshold applies to a text: not to a single sentence (its rhythm, two of the
 * features, is unmeasured), and to formal register (mean word length above the band's
 * `formal_above`) only when its stock assistant wording alone lies `FORMAL_EVIDENCE_MARGIN` below
 * the band's cut. `stockWording` is that log-odds, computed only when needed.
 */
export function isAccusable(band: LengthBand, shape: TextShape, stockWording: () => number): boolean {
  if (shape.sentences < 2) return false;
  return shape.meanWordLength <= band.formal_above || stockWording() < bandCut(band) - FORMAL_EVIDENCE_MARGIN;
}

/**
 * Logistic regression on standardized features, calibrated for the text's length band →
 * human-likeness 0–100 (probability of human authorship × 100, two decimals) and the band's verdict.
 * A text the band may not accuse (see `isAccusable`) keeps its score and gets threshold 0.
 */
export function scoreHumanLikeness(
  weights: DetectorWeights,
  features: readonly (number | undefined)[],
  shape: TextShape,
): DetectorVerdict {
  const band = bandOf(weights.bands, shape.words);
  const accusable = isAccusable(band, shape, () => stockWordingLogit(weights, features));
  return verdictOf(band, detectorLogit(weights, features), accusable);
}

/**
 * The verdict of a (raw) detector log-odds under one band's calibration and threshold; a text that
 * is not `accusable` gets threshold 0 (never called AI).
 */
export function verdictOf(band: LengthBand, logit: number, accusable = true): DetectorVerdict {
  const probability = 1 / (1 + Math.exp(-(band.slope * logit + band.offset)));
  const human_likeness_score = Math.round(probability * 10_000) / 100;
  const threshold = accusable ? band.threshold : 0;
  return {
    human_likeness_score,
    threshold,
    is_ai_generated: human_likeness_score < threshold,
    ai_probability: Math.round((100 - human_likeness_score) * 100) / 10_000,
  };
}
