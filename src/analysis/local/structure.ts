import type { Metrics } from "../../schemas/metrics";
import { chooseClass, isProperNoun, type LexicalEntry, NO_ENTRY, type WordClass } from "./part-of-speech";
import { round } from "./round";

type StructuralAnalysis = NonNullable<Metrics["structural_analysis"]>;

/** Closed-class words other than pronouns: determiners, prepositions, conjunctions, `to`, modals. */
const FUNCTION_CLASSES: ReadonlySet<WordClass> = new Set(["d", "i", "c", "t", "m"]);

/**
 * The running counts behind the structural analysis: each word is tagged (as `tagWords` does) as
 * it comes, in reading order; `closeSentence` after each sentence's last word.
 */
export class StructureTally {
  previousClass: WordClass | undefined = undefined;
  previous: LexicalEntry = NO_ENTRY;
  previousProper = false;
  inVerbGroup = false;
  nouns = 0;
  verbs = 0;
  adjectives = 0;
  adverbs = 0;
  pronouns = 0;
  functionWords = 0;
  entities = 0;
  verbGroups = 0;

  word(word: string, entry: LexicalEntry, capitalized: boolean, opensSentence: boolean): void {
    if (opensSentence) this.previousClass = undefined;
    let wordClass = chooseClass(entry, this.previousClass, this.previous);
    const isProper = isProperNoun(wordClass, word, capitalized, opensSentence);
    if (isProper) wordClass = "n";
    if (wordClass !== "r") {
      this.previousClass = wordClass;
      this.previous = entry;
    }
    if (isProper && !this.previousProper) this.entities += 1;
    this.previousProper = isProper;
    if (wordClass === "v" || wordClass === "m") {
      if (!this.inVerbGroup) this.verbGroups += 1;
      this.inVerbGroup = true;
    } else if (wordClass !== "r") {
      this.inVerbGroup = false;
    }
    if (wordClass === "n") this.nouns += 1;
    else if (wordClass === "v") this.verbs += 1;
    else if (wordClass === "j") this.adjectives += 1;
    else if (wordClass === "r") this.adverbs += 1;
    else if (wordClass === "p") this.pronouns += 1;
    else if (FUNCTION_CLASSES.has(wordClass)) this.functionWords += 1;
  }

  closeSentence(): void {
    this.previousProper = false;
    this.inVerbGroup = false;
  }

  /**
   * Part-of-speech shares (tags as from `tagWords`), verb groups per sentence as the count of
   * clauses, and named things as runs of proper nouns.
   */
  result(wordCount: number, sentenceCount: number): StructuralAnalysis {
    const share = (count: number) => round(wordCount === 0 ? 0 : count / wordCount);
    return {
      noun_percentage: share(this.nouns),
      verb_percentage: share(this.verbs),
      adjective_percentage: share(this.adjectives),
      adverb_percentage: share(this.adverbs),
      pronoun_percentage: share(this.pronouns),
      function_word_percentage: share(this.functionWords),
      clauses_per_sentence: round(sentenceCount === 0 ? 0 : this.verbGroups / sentenceCount, 2),
      entity_count: this.entities,
    };
  }
}
