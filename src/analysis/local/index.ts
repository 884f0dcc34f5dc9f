import type { Metrics } from "../../schemas/metrics";
import { codeShareOf, lowConfidenceReason, separateCode } from "./confidence";
import {
  assertWeightsMatchFeatures,
  bandOf,
  type DetectorVerdict,
  type DetectorWeights,
  scoreHumanLikeness,
  unfamiliarity,
} from "./detector";
import { detectorFeatureVector } from "./features";
import { type TextMeasurements, TextTally } from "./measure";
import { reasonsFor } from "./reasons";
import { round } from "./round";
import { analyzeSentences, type SentenceCounts } from "./sentences";
import { type TokenizedText, Tokenizer } from "./tokenize";
import storedWeights from "./weights.json";

const weights: DetectorWeights = storedWeights;
assertWeightsMatchFeatures(weights);
const evidenceColumns = weights.features.map((name) => weights.evidence_features.includes(name));

/** A tokenizer and a tally: what one analysis reads a text with. */
export interface AnalysisTools {
  tokenizer: Tokenizer;
  tally: TextTally;
}

/**
 * Emptied tools of finished analyses, for the next ones: their arrays cost more to allocate than to
 * clear. At most a few (streams can run side by side), none after texts longer than this many words.
 */
const spares: AnalysisTools[] = [];
const MOST_SPARES = 4;
const LONGEST_KEPT_TEXT = 50_000;

/** Tools for one analysis: emptied ones of an earlier analysis when there are, else new ones. */
export function borrowTools(): AnalysisTools {
  // A tally that also scores the detector's n-grams.
  return spares.pop() ?? { tokenizer: new Tokenizer(), tally: new TextTally(weights.ngrams.functionWords) };
}

/** Gives tools back once their analysis is over (`words`: how many it read); they are emptied here. */
export function returnTools(tools: AnalysisTools, words: number): void {
  if (words > LONGEST_KEPT_TEXT || spares.length >= MOST_SPARES) return;
  tools.tokenizer.clear();
  tools.tally.clear();
  spares.push(tools);
}

/** The coherence category; `sentence_coherence` (first) only from two sentences on. */
function coherenceAndComplexity({
  sentenceCoherence,
  readability,
  burstiness,
  perplexity,
}: TextMeasurements): NonNullable<Metrics["text_coherence_complexity"]> {
  const complexity_score = round(Math.min(1, Math.max(0, readability.fleschKincaidGrade / 20)));
  const roundedBurstiness = round(burstiness);
  const roundedPerplexity = round(perplexity, 2);
  if (sentenceCoherence === undefined)
    return { complexity_score, burstiness: roundedBurstiness, perplexity: roundedPerplexity };
  return {
    sentence_coherence: round(sentenceCoherence),
    complexity_score,
    burstiness: roundedBurstiness,
    perplexity: roundedPerplexity,
  };
}

function categories(
  measured: TextMeasurements,
): Omit<
  Metrics,
  "is_ai_generated" | "human_likeness_score" | "threshold" | "source" | "ai_probability" | "reasons"
> {
  const { readability, signature } = measured;
  return {
    text_coherence_complexity: coherenceAndComplexity(measured),
    readability_metrics: {
      flesch_score: round(Math.min(100, Math.max(0, readability.fleschReadingEase)) / 100),
      gunning_fog_score: round(readability.gunningFog, 2),
      smog_score: round(readability.smog, 2),
      avg_words_per_sentence: round(readability.wordsPerSentence, 2),
      flesch_reading_ease: round(readability.fleschReadingEase, 2),
      flesch_kincaid_grade: round(readability.fleschKincaidGrade, 2),
      gunning_fog: round(readability.gunningFog, 2),
      smog: round(readability.smog, 2),
      coleman_liau: round(readability.colemanLiau, 2),
      ari: round(readability.automatedReadabilityIndex, 2),
    },
    vocabulary_lexical_diversity: {
      unique_word_ratio: round(measured.typeTokenRatio),
      lexical_diversity: round(measured.movingAverageTypeTokenRatio),
      rare_word_ratio: round(measured.rareWordRatio),
      key_term_significance: round(measured.keyTermSignificance),
      mtld: round(measured.mtld, 2),
    },
    stylistic_features: {
      formality: round(measured.formality),
      passive_voice_ratio: round(measured.passiveVoiceRatio),
    },
    statistical_metrics: {
      repetition_rate: round(measured.repetitionRate),
      text_length: measured.characterCount,
      punctuation_density: round(measured.punctuationDensity),
      stop_word_ratio: round(measured.stopWordRatio),
    },
    ai_signature_analysis: {
      phrase_density: round(signature.phraseDensity),
      bigram_density: round(signature.bigramDensity),
      trigram_density: round(signature.trigramDensity),
      word_density: round(signature.wordDensity),
    },
  };
}

/**
 * Scores a text with the built-in analyzer: deterministic, synchronous, no network.
 * Fills all nine Neo categories.
 *
 * @example
 * const metrics = analyzeLocally(reply);
 * if (metrics.is_ai_generated) console.log(metrics.human_likeness_score, metrics.low_confidence_reason);
 */
export function analyzeLocally(text: string): Metrics {
  const { tools, tokenized, separated } = readProse(text);
  // Without backticks the prose is the whole text, and the tokenizer has counted its code symbols.
  const codeShare =
    separated?.codeShare ?? codeShareOf(text.length, text.length, tools.tokenizer.codeSymbols);
  const metrics = scoreTally(tools.tally, tokenized, codeShare, separated === undefined);
  returnTools(tools, tokenized.words.length);
  return metrics;
}

/**
 * Borrows the tools (see `borrowTools`; the caller returns them) and reads a text's prose, code
 * spans taken out, into their tally.
 */
function readProse(text: string) {
  const tools = borrowTools();
  const separated = text.includes("`") ? separateCode(text) : undefined;
  const prose = separated?.prose ?? text;
  tools.tokenizer.read(prose, 0);
  const tokenized = tools.tokenizer.finish(prose.length);
  tools.tally.advance(tokenized, true);
  return { tools, tokenized, separated };
}

/**
 * The detector's verdict on a text and its word count, as `analyzeLocally` gives them, without the
 * nine categories and the sentence scores: what a conversation score needs of its replies.
 */
export function detectLocally(text: string): { verdict: DetectorVerdict; words: number } {
  const { tools, tokenized } = readProse(text);
  const { verdict, measured } = verdictOfTally(tools.tally, tokenized);
  returnTools(tools, tokenized.words.length);
  return { verdict, words: measured.wordCount };
}

/** The detector's verdict on the tokenized prose of a tally, with the measurements and features it read. */
function verdictOfTally(tally: TextTally, tokenized: TokenizedText) {
  const measured = tally.measurements(tokenized);
  const features = detectorFeatureVector(measured, { functionWords: tally.ngramLogOdds(tokenized) });
  const verdict = scoreHumanLikeness(weights, features, {
    words: measured.wordCount,
    sentences: measured.sentenceCount,
    meanWordLength: measured.meanWordLength,
  });
  return { verdict, measured, features };
}

/** What a growing text's analysis keeps of its closed sentences between scores. */
export interface SentenceMemory {
  /** The counts of the first `settled` sentences, kept after each score. */
  counts: SentenceCounts[];
  /** How many sentences are closed for good (read before the text's unfinished end). */
  settled: number;
}

/**
 * `analyzeLocally` from a tally (see `borrowTools`) of the tokenized prose on; `bySentence`: the
 * prose is the whole text (no code spans were taken out), so its sentences are scored too, their
 * offsets pointing into the text (a `SentenceMemory` also reuses what was read of closed ones).
 */
export function scoreTally(
  tally: TextTally,
  tokenized: TokenizedText,
  codeShare: number,
  bySentence: boolean | SentenceMemory,
): Metrics {
  const { verdict, measured, features } = verdictOfTally(tally, tokenized);
  const reason = lowConfidenceReason(
    {
      letterCount: tokenized.letterCount,
      asciiLetterCount: tokenized.asciiLetterCount,
      wordCount: measured.wordCount,
      veryCommonWords: tally.veryCommonWords,
    },
    codeShare,
    unfamiliarity(weights, features, evidenceColumns) > weights.unfamiliar_above,
  );
  const sections = categories(measured);
  const metrics: Metrics = {
    human_likeness_score: verdict.human_likeness_score,
    threshold: verdict.threshold,
    is_ai_generated: verdict.is_ai_generated,
    source: "local",
    ai_probability: verdict.ai_probability,
    reasons: reasonsFor(
      weights,
      features,
      bandOf(weights.bands, measured.wordCount).slope,
      verdict.ai_probability,
    ),
    text_coherence_complexity: sections.text_coherence_complexity,
    readability_metrics: sections.readability_metrics,
    vocabulary_lexical_diversity: sections.vocabulary_lexical_diversity,
    stylistic_features: sections.stylistic_features,
    statistical_metrics: sections.statistical_metrics,
    ai_signature_analysis: sections.ai_signature_analysis,
    topic_modeling_analysis: tally.topics(tokenized),
    sentiment_subjectivity: tally.sentiment(tokenized),
    structural_analysis: tally.structure(tokenized),
    word_count: measured.wordCount,
    low_confidence: reason !== undefined,
  };
  if (reason !== undefined) metrics.low_confidence_reason = reason;
  if (bySentence !== false) {
    const memory = bySentence === true ? undefined : bySentence;
    const { sentences, mixed, counts } = analyzeSentences(
      tokenized,
      weights.sentence_model,
      weights.ngrams.functionWords,
      memory?.counts,
    );
    if (memory) memory.counts = counts.slice(0, memory.settled);
    metrics.sentences = sentences;
    metrics.mixed = mixed;
  }
  return metrics;
}
