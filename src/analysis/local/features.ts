import type { TextMeasurements } from "./measure";

/** Naive-Bayes evidence from the fitted n-gram tables (see `ngramLogOdds`); > 0 leans human. */
export interface NgramEvidence {
  words: number;
  functionWords: number;
}

/** The measurements the detector model reads, by name; `undefined` = not measurable for this text. */
export const DETECTOR_FEATURES = {
  mean_surprisal: (m) => m.meanSurprisal,
  surprisal_deviation: (m) => m.surprisalDeviation,
  rare_word_ratio: (m) => m.rareWordRatio,
  moving_average_ttr: (m) => m.movingAverageTypeTokenRatio,
  mtld: (m) => Math.log1p(m.mtld),
  burstiness: (m) => m.burstiness,
  words_per_sentence: (m) => m.readability.wordsPerSentence,
  sentence_coherence: (m) => m.sentenceCoherence,
  flesch_reading_ease: (m) => m.readability.fleschReadingEase,
  mean_word_length: (m) => m.meanWordLength,
  long_word_rate: (m) => m.longWordRate,
  stop_word_ratio: (m) => m.stopWordRatio,
  repetition_rate: (m) => m.repetitionRate,
  punctuation_density: (m) => m.punctuationDensity,
  comma_rate: (m) => m.commaRate,
  quote_rate: (m) => m.quoteRate,
  dash_and_parenthesis_rate: (m) => m.dashAndParenthesisRate,
  question_and_exclamation_rate: (m) => m.questionAndExclamationRate,
  contraction_rate: (m) => m.contractionRate,
  number_rate: (m) => m.numberRate,
  capitalized_rate: (m) => m.capitalizedRate,
  conversational_opener_rate: (m) => m.conversationalOpenerRate,
  passive_voice_ratio: (m) => m.passiveVoiceRatio,
  formality: (m) => m.formality,
  key_term_significance: (m) => m.keyTermSignificance,
  ai_word_density: (m) => m.signature.wordDensity,
  ai_bigram_density: (m) => m.signature.bigramDensity,
  ai_trigram_density: (m) => m.signature.trigramDensity,
  ai_phrase_density: (m) => m.signature.phraseDensity,
  punctuation_variety: (m) => m.punctuationVariety,
  first_person_rate: (m) => m.firstPersonRate,
  very_common_word_rate: (m) => m.veryCommonWordRate,
  sentence_length_entropy: (m) => m.rhythm.lengthEntropy,
  adjacent_length_change: (m) => m.rhythm.adjacentLengthChange,
  sentence_surprisal_spread: (m) => m.rhythm.surprisalSpread,
  sentence_opening_diversity: (m) => m.rhythm.openingDiversity,
  word_ngram_log_odds: (_, evidence) => evidence.words,
  function_word_ngram_log_odds: (_, evidence) => evidence.functionWords,
} satisfies Record<string, (measurements: TextMeasurements, evidence: NgramEvidence) => number | undefined>;

export type DetectorFeatureName = keyof typeof DETECTOR_FEATURES;
export const DETECTOR_FEATURE_NAMES = Object.keys(DETECTOR_FEATURES) as DetectorFeatureName[];

/** The detector's input: one value per feature, in `DETECTOR_FEATURE_NAMES` order. */
export function detectorFeatureVector(
  measurements: TextMeasurements,
  evidence: NgramEvidence,
): (number | undefined)[] {
  return DETECTOR_FEATURE_NAMES.map((name) => {
    if (measurements.wordCount === 0) return undefined;
    const value = DETECTOR_FEATURES[name](measurements, evidence);
    return value !== undefined && Number.isFinite(value) ? value : undefined;
  });
}
