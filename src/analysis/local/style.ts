import { CONTRACTION_SUFFIXES, IRREGULAR_PARTICIPLES } from "./data/lexicon";

/** Whether a lowercased word is a past participle: -ed (over four letters) or a common irregular form. */
export function isParticiple(word: string): boolean {
  return (word.length > 4 && word.endsWith("ed")) || IRREGULAR_PARTICIPLES.has(word);
}

/**
 * Counts sentences with a passive construction: a form of "to be" followed, directly or after one
 * adverb in -ly or "not", by a past participle (-ed or a common irregular form). Fed each word in
 * reading order and each sentence end.
 */
export class PassiveTally {
  state = PassiveTally.#start();

  static #start() {
    return {
      passiveSentences: 0,
      found: false,
      previousIsBeForm: false,
      previousMayInterrupt: false,
      beforePreviousIsBeForm: false,
    };
  }

  clear(): void {
    this.state = PassiveTally.#start();
  }

  /** The next word: a form of "to be", a participle, `not` or an adverb in -ly, or none of these. */
  word(isBeForm: boolean, isParticiple: boolean, mayInterrupt: boolean): void {
    const state = this.state;
    if (
      isParticiple &&
      (state.previousIsBeForm || (state.beforePreviousIsBeForm && state.previousMayInterrupt))
    )
      state.found = true;
    state.beforePreviousIsBeForm = state.previousIsBeForm;
    state.previousIsBeForm = isBeForm;
    state.previousMayInterrupt = mayInterrupt;
  }

  closeSentence(): void {
    const state = this.state;
    if (state.found) state.passiveSentences += 1;
    state.found = false;
    state.previousIsBeForm = false;
    state.previousMayInterrupt = false;
    state.beforePreviousIsBeForm = false;
  }

  save(): PassiveTally["state"] {
    return { ...this.state };
  }

  /** Share of sentences with a passive construction, 0–1. */
  ratio(sentenceCount: number): number {
    return sentenceCount === 0 ? 0 : this.state.passiveSentences / sentenceCount;
  }
}

/** Whether a word is a contraction such as `don't`, `we're`, `I'm`. */
export function isContraction(word: string): boolean {
  return CONTRACTION_SUFFIXES.some((suffix) => word.endsWith(suffix));
}

/**
 * Formality, 0–1: 1 − 4 × (informal markers per word), clamped; 1 = no casual markers at all,
 * below 0.5 = strongly conversational. Informal markers: first/second-person words, chat fillers,
 * contractions, `!`.
 */
export function formality(informalMarkers: number, wordCount: number): number {
  if (wordCount === 0) return 0.5;
  return Math.min(1, Math.max(0, 1 - (4 * informalMarkers) / wordCount));
}
