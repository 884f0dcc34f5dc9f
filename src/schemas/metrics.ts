import * as z from "zod";
import { lazy } from "../lib/lazy";

const unit = lazy(() => z.number().min(0).max(1));

/** Neo's nine metric categories with their sub-field names. Every sub-field may be missing. */
const neoCategories = lazy(() => ({
  text_coherence_complexity: z
    .object({
      sentence_coherence: z.number(),
      complexity_score: z.number(),
      burstiness: z.number(),
      perplexity: z.number(),
    })
    .partial(),
  readability_metrics: z
    .object({
      flesch_score: z.number(),
      gunning_fog_score: z.number(),
      smog_score: z.number(),
      avg_words_per_sentence: z.number(),
    })
    .partial(),
  vocabulary_lexical_diversity: z
    .object({
      unique_word_ratio: z.number(),
      lexical_diversity: z.number(),
      rare_word_ratio: z.number(),
      key_term_significance: z.number(),
    })
    .partial(),
  topic_modeling_analysis: z
    .object({
      topic_diversity: z.number(),
      lda_coverage: z.number(),
      main_topic_likelihood: z.number(),
      topic_variance: z.number(),
    })
    .partial(),
  sentiment_subjectivity: z
    .object({
      sentiment_score: z.number(),
      sentiment_label: z.string(),
      subjectivity_score: z.number(),
      text_similarity: z.number(),
    })
    .partial(),
  stylistic_features: z.object({ formality: z.number(), passive_voice_ratio: z.number() }).partial(),
  statistical_metrics: z
    .object({ repetition_rate: z.number(), text_length: z.number(), punctuation_density: z.number() })
    .partial(),
  ai_signature_analysis: z
    .object({
      phrase_density: z.number(),
      bigram_density: z.number(),
      trigram_density: z.number(),
      word_density: z.number(),
    })
    .partial(),
  structural_analysis: z
    .object({
      noun_percentage: z.number(),
      verb_percentage: z.number(),
      adjective_percentage: z.number(),
      adverb_percentage: z.number(),
      entity_count: z.number(),
      entity_type_distribution: z.record(z.string(), z.number()),
    })
    .partial(),
}));

/** The names of Neo's nine categories (a constant: reading them builds no schema). */
export const NEO_CATEGORY_NAMES = [
  "text_coherence_complexity",
  "readability_metrics",
  "vocabulary_lexical_diversity",
  "topic_modeling_analysis",
  "sentiment_subjectivity",
  "stylistic_features",
  "statistical_metrics",
  "ai_signature_analysis",
  "structural_analysis",
] as const satisfies readonly (keyof ReturnType<typeof neoCategories>)[];

/** Raw readability formula values the local analyzer adds beside Neo's readability fields. */
const localReadabilityExtras = lazy(() =>
  z
    .object({
      flesch_reading_ease: z.number(),
      flesch_kincaid_grade: z.number(),
      gunning_fog: z.number(),
      smog: z.number(),
      coleman_liau: z.number(),
      ari: z.number(),
    })
    .partial(),
);

/** Local additions to Neo's part-of-speech category (Neo's own fields keep Neo's loose types). */
const localStructureExtras = lazy(() =>
  z
    .object({
      pronoun_percentage: unit(),
      function_word_percentage: unit(),
      clauses_per_sentence: z.number().min(0),
    })
    .partial(),
);

/** A text's key terms by TF-IDF, heaviest first; weights are shares of the text's TF-IDF mass. */
const KeyTermSchema = lazy(() => z.object({ term: z.string(), weight: unit() }));

/**
 * Why a local score deserves less trust: too few words for a reliable verdict, not English, mostly
 * code, or measurements unlike any text the detector was fitted on (`unfamiliar_text`).
 */
export const LowConfidenceReasonSchema = lazy(() =>
  z.enum(["too_short", "not_english", "code_heavy", "unfamiliar_text"]),
);

/** One feature that moved a local verdict, in words. */
export const DetectorReasonSchema = lazy(() =>
  z
    .object({
      feature: z.string(),
      leans: z.enum(["ai", "human"]),
      text: z.string(),
    })
    .meta({ id: "DetectorReason" }),
);

/** One sentence of the analysed text and its own score. */
export const SentenceScoreSchema = lazy(() =>
  z
    .object({
      start: z.number().int().min(0).describe("Offset of the sentence's first character (UTF-16 code units)"),
      end: z.number().int().min(0).describe("Offset just after its last character: text.slice(start, end)"),
      ai_probability: z.number().min(0).max(1),
    })
    .meta({ id: "SentenceScore" }),
);

/** The local detector's score of a conversation's assistant replies so far, read together. */
export const ConversationScoreSchema = lazy(() =>
  z
    .object({
      ai_probability: z.number().min(0).max(1),
      is_ai_generated: z.boolean(),
      words: z.number().int().min(0),
      replies: z.number().int().min(1),
    })
    .meta({ id: "ConversationScore" }),
);

/** Why Neo did not score a text and the local analyzer did. */
export const FallbackReasonSchema = lazy(() =>
  z.enum([
    "neo_timeout",
    "neo_network_error",
    "neo_http_401",
    "neo_http_403",
    "neo_http_429",
    "neo_http_4xx",
    "neo_http_5xx",
    "neo_bad_response",
  ]),
);

/**
 * The flat metrics object returned for every analysed text, whichever analyzer scored it.
 * Category and sub-field names are Neo's; a category the analyzer cannot fill is absent.
 * Fields after the categories are local additions.
 */
export const MetricsSchema = lazy(() =>
  z
    .object({
      is_ai_generated: z.boolean(),
      human_likeness_score: z.number().min(0).max(100),
      threshold: z.number().min(0).max(100),
      source: z.enum(["neo", "local"]),
      ai_probability: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe(
          "Local only: calibrated probability that the text was machine-written (= 1 − human_likeness_score / 100), calibrated for the text's length on domains the detector was not trained on",
        ),
      reasons: z
        .array(DetectorReasonSchema())
        .max(3)
        .optional()
        .describe("Local only: the features that moved this verdict most, strongest first"),
      sentences: z
        .array(SentenceScoreSchema())
        .optional()
        .describe(
          "Local only: each sentence (with its neighbours) scored on its own; absent for texts with code blocks",
        ),
      mixed: z
        .boolean()
        .optional()
        .describe("Local only: the text has a confidently human part and a confidently AI part"),
      conversation: ConversationScoreSchema()
        .optional()
        .describe(
          "Chats only, from the second reply of a conversation on: the assistant's replies so far (this one included) scored together by the local detector",
        ),
      text_coherence_complexity: neoCategories().text_coherence_complexity.optional(),
      readability_metrics: neoCategories()
        .readability_metrics.extend(localReadabilityExtras().shape)
        .optional(),
      vocabulary_lexical_diversity: neoCategories()
        .vocabulary_lexical_diversity.extend({ mtld: z.number().min(0).optional() })
        .optional(),
      topic_modeling_analysis: neoCategories()
        .topic_modeling_analysis.extend({ key_terms: z.array(KeyTermSchema()).max(20).optional() })
        .optional(),
      sentiment_subjectivity: neoCategories().sentiment_subjectivity.optional(),
      stylistic_features: neoCategories().stylistic_features.optional(),
      statistical_metrics: neoCategories()
        .statistical_metrics.extend({ stop_word_ratio: unit().optional() })
        .optional(),
      ai_signature_analysis: neoCategories().ai_signature_analysis.optional(),
      structural_analysis: neoCategories()
        .structural_analysis.extend(localStructureExtras().shape)
        .optional(),
      word_count: z.number().int().min(0).optional(),
      low_confidence: z.boolean().optional(),
      low_confidence_reason: LowConfidenceReasonSchema().optional(),
      fallback_reason: FallbackReasonSchema().optional(),
      neo_analysis_id: z.string().optional(),
      neo_elapsed_ms: z.number().min(0).optional(),
    })
    .meta({ id: "Metrics" }),
);

export type Metrics = z.infer<ReturnType<typeof MetricsSchema>>;
export type FallbackReason = z.infer<ReturnType<typeof FallbackReasonSchema>>;
export type LowConfidenceReason = z.infer<ReturnType<typeof LowConfidenceReasonSchema>>;
export type DetectorReason = z.infer<ReturnType<typeof DetectorReasonSchema>>;
export type SentenceScore = z.infer<ReturnType<typeof SentenceScoreSchema>>;
export type ConversationScore = z.infer<ReturnType<typeof ConversationScoreSchema>>;

/** A category that is malformed on the wire is dropped instead of failing the whole answer. */
const lenientCategories = lazy(
  () =>
    Object.fromEntries(
      Object.entries(neoCategories()).map(([name, schema]) => [
        name,
        (schema as z.ZodType).optional().catch(undefined),
      ]),
    ) as {
      [Name in keyof ReturnType<typeof neoCategories>]: z.ZodCatch<
        z.ZodOptional<ReturnType<typeof neoCategories>[Name]>
      >;
    },
);

/**
 * Neo's `POST /analyze` answer, validated leniently: unknown fields pass through, a missing
 * category is simply absent, only the verdict fields are required.
 */
export const NeoAnalyzeResponseSchema = lazy(() =>
  z.looseObject({
    analysis_id: z.string().optional(),
    text_id: z.string().optional(),
    is_ai_generated: z.boolean(),
    threshold: z.number(),
    human_likeness_score: z.number(),
    metrics: z.looseObject(lenientCategories()).optional().catch(undefined),
    elapsed_time: z.string().optional(),
  }),
);

export type NeoAnalyzeResponse = z.infer<ReturnType<typeof NeoAnalyzeResponseSchema>>;
