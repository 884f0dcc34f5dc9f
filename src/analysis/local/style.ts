import { CONTRACTION_SUFFIXES, IRREGULAR_PARTICIPLES } from "./data/lexicon";
import type { TokenizedText } from "./tokenize";

function isParticiple(word: string | undefined): boolean {
  if (word === undefined) return false;
  return (word.length > 4 && word.endsWith("ed")) || IRREGULAR_PARTICIPLES.has(word);
}

/**
 * Share of sentences with a passive construction, 0–1: a form of "to be" followed, directly or
 * after one adverb in -ly or "not", by a past participle (-ed or a common irregular form).
 */
export function passiveVoiceRatio({ words, sentences, indexed }: TokenizedText): number {
  if (sentences.length === 0) return 0;
  let passive = 0;
  for (const { start, end } of sentences) {
    for (let index = start; index < end - 1; index += 1) {
      if (!indexed.facts[indexed.ids[index] as number]?.isBeForm) continue;
      const next = words[index + 1] as string;
      const skipsAdverb = next === "not" || next.endsWith("ly");
      if (isParticiple(next) || (skipsAdverb && index + 2 < end && isParticiple(words[index + 2]))) {
        passive += 1;
        break;
      }
    }
  }
  return passive / sentences.length;
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
