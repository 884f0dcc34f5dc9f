import type { Metrics } from "../../schemas/metrics";
import { tagWords, type WordClass } from "./part-of-speech";
import { round } from "./round";
import type { TokenizedText } from "./tokenize";

type StructuralAnalysis = NonNullable<Metrics["structural_analysis"]>;

/** Closed-class words other than pronouns: determiners, prepositions, conjunctions, `to`, modals. */
const FUNCTION_CLASSES: ReadonlySet<WordClass> = new Set(["d", "i", "c", "t", "m"]);

/**
 * Part-of-speech shares (tags from `tagWords`), verb groups per sentence as the count of clauses,
 * and named things as runs of proper nouns.
 */
export function structuralAnalysis(text: TokenizedText): StructuralAnalysis {
  const { classes, proper } = tagWords(text);
  const counts: Partial<Record<WordClass, number>> = {};
  let functionWords = 0;
  let entities = 0;
  let verbGroups = 0;
  for (const { start, end } of text.sentences) {
    let inVerbGroup = false;
    for (let index = start; index < end; index += 1) {
      const wordClass = classes[index] as WordClass;
      counts[wordClass] = (counts[wordClass] ?? 0) + 1;
      if (FUNCTION_CLASSES.has(wordClass)) functionWords += 1;
      if (proper[index] && !(index > start && proper[index - 1])) entities += 1;
      if (wordClass === "v" || wordClass === "m") {
        if (!inVerbGroup) verbGroups += 1;
        inVerbGroup = true;
      } else if (wordClass !== "r") {
        inVerbGroup = false;
      }
    }
  }
  const wordCount = classes.length;
  const share = (count: number | undefined) => round(wordCount === 0 ? 0 : (count ?? 0) / wordCount);
  const sentenceCount = text.sentences.length;
  return {
    noun_percentage: share(counts.n),
    verb_percentage: share(counts.v),
    adjective_percentage: share(counts.j),
    adverb_percentage: share(counts.r),
    pronoun_percentage: share(counts.p),
    function_word_percentage: share(functionWords),
    clauses_per_sentence: round(sentenceCount === 0 ? 0 : verbGroups / sentenceCount, 2),
    entity_count: entities,
  };
}
