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
  let nouns = 0;
  let verbs = 0;
  let adjectives = 0;
  let adverbs = 0;
  let pronouns = 0;
  let functionWords = 0;
  let entities = 0;
  let verbGroups = 0;
  for (const { start, end } of text.sentences) {
    let inVerbGroup = false;
    for (let index = start; index < end; index += 1) {
      const wordClass = classes[index] as WordClass;
      if (proper[index] && !(index > start && proper[index - 1])) entities += 1;
      if (wordClass === "v" || wordClass === "m") {
        if (!inVerbGroup) verbGroups += 1;
        inVerbGroup = true;
      } else if (wordClass !== "r") {
        inVerbGroup = false;
      }
      if (wordClass === "n") nouns += 1;
      else if (wordClass === "v") verbs += 1;
      else if (wordClass === "j") adjectives += 1;
      else if (wordClass === "r") adverbs += 1;
      else if (wordClass === "p") pronouns += 1;
      else if (FUNCTION_CLASSES.has(wordClass)) functionWords += 1;
    }
  }
  const wordCount = classes.length;
  const share = (count: number) => round(wordCount === 0 ? 0 : count / wordCount);
  const sentenceCount = text.sentences.length;
  return {
    noun_percentage: share(nouns),
    verb_percentage: share(verbs),
    adjective_percentage: share(adjectives),
    adverb_percentage: share(adverbs),
    pronoun_percentage: share(pronouns),
    function_word_percentage: share(functionWords),
    clauses_per_sentence: round(sentenceCount === 0 ? 0 : verbGroups / sentenceCount, 2),
    entity_count: entities,
  };
}
