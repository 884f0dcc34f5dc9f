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
  state = StructureTally.#start();

  static #start() {
    return {
      previousClass: undefined as WordClass | undefined,
      previous: NO_ENTRY() as LexicalEntry,
      previousProper: false,
      inVerbGroup: false,
      nouns: 0,
      verbs: 0,
      adjectives: 0,
      adverbs: 0,
      pronouns: 0,
      functionWords: 0,
      entities: 0,
      verbGroups: 0,
    };
  }

  clear(): void {
    this.state = StructureTally.#start();
  }

  word(word: string, entry: LexicalEntry, capitalized: boolean, opensSentence: boolean): void {
    const state = this.state;
    if (opensSentence) state.previousClass = undefined;
    let wordClass = chooseClass(entry, state.previousClass, state.previous);
    const isProper = isProperNoun(wordClass, word, capitalized, opensSentence);
    if (isProper) wordClass = "n";
    if (wordClass !== "r") {
      state.previousClass = wordClass;
      state.previous = entry;
    }
    if (isProper && !state.previousProper) state.entities += 1;
    state.previousProper = isProper;
    if (wordClass === "v" || wordClass === "m") {
      if (!state.inVerbGroup) state.verbGroups += 1;
      state.inVerbGroup = true;
    } else if (wordClass !== "r") {
      state.inVerbGroup = false;
    }
    if (wordClass === "n") state.nouns += 1;
    else if (wordClass === "v") state.verbs += 1;
    else if (wordClass === "j") state.adjectives += 1;
    else if (wordClass === "r") state.adverbs += 1;
    else if (wordClass === "p") state.pronouns += 1;
    else if (FUNCTION_CLASSES.has(wordClass)) state.functionWords += 1;
  }

  closeSentence(): void {
    this.state.previousProper = false;
    this.state.inVerbGroup = false;
  }

  save(): StructureTally["state"] {
    return { ...this.state };
  }

  /**
   * Part-of-speech shares (tags as from `tagWords`), verb groups per sentence as the count of
   * clauses, and named things as runs of proper nouns.
   */
  result(wordCount: number, sentenceCount: number): StructuralAnalysis {
    const share = (count: number) => round(wordCount === 0 ? 0 : count / wordCount);
    const state = this.state;
    return {
      noun_percentage: share(state.nouns),
      verb_percentage: share(state.verbs),
      adjective_percentage: share(state.adjectives),
      adverb_percentage: share(state.adverbs),
      pronoun_percentage: share(state.pronouns),
      function_word_percentage: share(state.functionWords),
      clauses_per_sentence: round(sentenceCount === 0 ? 0 : state.verbGroups / sentenceCount, 2),
      entity_count: state.entities,
    };
  }
}
