import type { TextMeasurements } from "./measure";

/** Naive-Bayes evidence from the fitted n-gram table (see `ngramLogOdds`); > 0 leans human. */
export interface NgramEvidence {
  functionWords: number;
}

/**
 * The measurements the detector model reads, by name; `undefined` = not measurable for this text.
 * Only measures of how a text is written that keep their direction across news, fiction and
 * encyclopedia prose: vocabulary renewal and repetition, sentence rhythm, stock "assistant" words
 * and function-word/punctuation n-grams. Register measures (word rarity and length, stop-word share,
 * readability, surprisal level and spread) flip direction between domains and are left out;
 * docs/ANALYZER.md has the measurements.
 */
export const DETECTOR_FEATURES = {
  moving_average_ttr: (m) => m.movingAverageTypeTokenRatio,
  mtld: (m) => Math.log1p(m.mtld),
  repetition_rate: (m) => m.repetitionRate,
  sentence_opening_diversity: (m) => m.rhythm.openingDiversity,
  burstiness: (m) => m.burstiness,
  sentence_length_entropy: (m) => m.rhythm.lengthEntropy,
  adjacent_length_change: (m) => m.rhythm.adjacentLengthChange,
  ai_word_density: (m) => m.signature.wordDensity,
  function_word_ngram_log_odds: (_, evidence) => evidence.functionWords,
} satisfies Record<string, (measurements: TextMeasurements, evidence: NgramEvidence) => number | undefined>;

export type DetectorFeatureName = keyof typeof DETECTOR_FEATURES;
export const DETECTOR_FEATURE_NAMES = Object.keys(DETECTOR_FEATURES) as DetectorFeatureName[];

const FEATURE_VALUES = DETECTOR_FEATURE_NAMES.map((name) => DETECTOR_FEATURES[name]);

/** The detector's input: one value per feature, in `DETECTOR_FEATURE_NAMES` order. */
export function detectorFeatureVector(
  measurements: TextMeasurements,
  evidence: NgramEvidence,
): (number | undefined)[] {
  const vector: (number | undefined)[] = [];
  for (const featureOf of FEATURE_VALUES) {
    const value = measurements.wordCount === 0 ? undefined : featureOf(measurements, evidence);
    vector.push(value !== undefined && Number.isFinite(value) ? value : undefined);
  }
  return vector;
}
