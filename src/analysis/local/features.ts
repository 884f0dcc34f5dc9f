import type { TextMeasurements } from "./measure";

/** Naive-Bayes evidence from the fitted n-gram table (see `ngramLogOdds`); > 0 leans human. */
export interface NgramEvidence {
  functionWords: number;
}

/**
 * The measurements the detector model reads, by name; `undefined` = not measurable for this text.
 * Only measures of how a text is written whose direction holds in every training domain (news,
 * fiction, encyclopedia prose, chat answers, articles and rewrites of reviews, blogs, abstracts and
 * court opinions): sentence rhythm, stock "assistant" wording and function-word/punctuation n-grams.
 * Vocabulary renewal and repetition flip on rewrites (a model rewriting a review uses more varied
 * words than its author), register measures flip between formal and informal domains; both are left
 * out. docs/ANALYZER.md has the per-domain table.
 */
export const DETECTOR_FEATURES = {
  // Sentence rhythm needs two sentences at least; one gives no evidence either way.
  sentence_length_entropy: (m) => (m.sentenceCount < 2 ? undefined : m.rhythm.lengthEntropy),
  adjacent_length_change: (m) => (m.sentenceCount < 2 ? undefined : m.rhythm.adjacentLengthChange),
  ai_word_density: (m) => m.signature.wordDensity,
  ai_bigram_density: (m) => m.signature.bigramDensity,
  ai_phrase_density: (m) => m.signature.trigramDensity + m.signature.phraseDensity,
  assistant_framing: (m) => m.signature.framingRate,
  function_word_ngram_log_odds: (_, evidence) => evidence.functionWords,
} satisfies Record<string, (measurements: TextMeasurements, evidence: NgramEvidence) => number | undefined>;

/** Features whose large values are evidence of machine wording rather than a sign of unfamiliar text. */
export const EVIDENCE_FEATURES: readonly DetectorFeatureName[] = [
  "ai_word_density",
  "ai_bigram_density",
  "ai_phrase_density",
  "assistant_framing",
];

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
